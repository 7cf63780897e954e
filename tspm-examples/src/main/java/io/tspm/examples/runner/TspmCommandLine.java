package io.tspm.examples.runner;

import io.tspm.Human;
import io.tspm.examples.runner.cli.RunnerCommands;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The {@code tspm} command line as picocli builds it from {@link Tspm}'s annotations, with the exit
 * codes and error handling of every command. Apart from {@link Tspm} so the entry class names no
 * picocli type: the launcher's search for {@code main} resolves every method signature of the entry
 * class, and {@code picocli.CommandLine} alone, read from its jar, costs a listing about 10 ms.
 */
final class TspmCommandLine {

    private TspmCommandLine() {
    }

    /** The command line, with the exit codes and error handling of every command. */
    static CommandLine create() {
        return handlingErrors(new CommandLine(Tspm.class));
    }

    /** Runs {@code args}; returns the exit code. */
    static int execute(String[] args) {
        if (args.length > 0 && args[0].equals("__runner")) {
            // The detached runner lives long and its command line stays reachable as long: a model
            // of its one command, not of all 26 (their reflection data would sit on its heap).
            return handlingErrors(new CommandLine(new RunnerCommands.RunnerChild()))
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return create().execute(args);
    }

    private static CommandLine handlingErrors(CommandLine cl) {
        CommandLine.IParameterExceptionHandler picocli = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, args) -> {
            String command = unknownCommand(e);
            if (command == null) {
                return picocli.handleParseException(e, args);
            }
            // picocli's own suggestions rank by shared letters: "lsit" got "ls" and "monit", not "list"
            CommandLine at = e.getCommandLine();
            String name = at.getCommandSpec().qualifiedName(); // "tspm", or "tspm export" below it
            at.getErr().println("tspm: unknown command '" + command + "'"
                    + Human.didYouMean(command, at.getSubcommands().keySet()) + "; '" + name
                    + " --help' lists the commands");
            at.getErr().flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof RunnerException re) {
                cmd.getErr().println("tspm: " + re.getMessage());
                cmd.getErr().flush();
                return re.exitCode();
            }
            String m = e.getMessage();
            cmd.getErr().println("tspm: " + (m == null ? e.toString() : m));
            cmd.getErr().flush();
            return ExitCodes.FAILURE;
        });
        return cl;
    }

    /** The word that was taken for a command and is none, or null when {@code e} is about something else. */
    private static String unknownCommand(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || e.getCommandLine().getSubcommands().isEmpty()
                || u.getUnmatched().isEmpty()) {
            return null;
        }
        String first = u.getUnmatched().get(0);
        return first.startsWith("-") ? null : first;
    }

    /** The build's warm-up for the client's class-data archive. */
    static void warmUp() {
        ClassArchiveWarmUp.run(create());
    }

    /** The version, from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tspm.class.getPackage().getImplementationVersion();
            return new String[] {"tspm " + (v == null ? "0.1.0-SNAPSHOT" : v) + " on Java "
                    + System.getProperty("java.version")};
        }
    }
}
