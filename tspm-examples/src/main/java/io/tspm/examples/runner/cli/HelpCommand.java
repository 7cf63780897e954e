package io.tspm.examples.runner.cli;

import io.tspm.Human;
import io.tspm.examples.runner.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tspm help [command]}: picocli's help command, except that a mistyped command is named with
 * the nearest one ({@code tspm help lsit}: did you mean 'list'?) and ends with the usage exit code,
 * as a mistyped command does everywhere else, instead of the whole usage after "Unknown subcommand".
 */
@Command(name = "help", helpCommand = true, description = "Shows the help of a command: tspm help logs.")
public final class HelpCommand implements Callable<Integer>, CommandLine.IHelpCommandInitializable2 {

    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "The command to show the help of.")
    String command;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme,
            PrintWriter outWriter, PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
        this.err = errWriter;
    }

    @Override
    public Integer call() {
        CommandLine parent = self.getParent();
        if (command == null) {
            parent.usage(out, colors);
            return ExitCodes.OK;
        }
        CommandLine sub = parent.getSubcommands().get(command);
        if (sub == null) {
            err.println("tspm: unknown command '" + command + "'" + Human.didYouMean(command,
                    parent.getSubcommands().keySet()) + "; '" + parent.getCommandSpec().qualifiedName()
                    + " --help' lists the commands");
            err.flush();
            return ExitCodes.USAGE;
        }
        sub.usage(out, colors);
        return ExitCodes.OK;
    }
}
