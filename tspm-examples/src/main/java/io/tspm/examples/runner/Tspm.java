package io.tspm.examples.runner;

import io.tspm.examples.runner.cli.ClientCommands;
import io.tspm.examples.runner.cli.CompletionCommand;
import io.tspm.examples.runner.cli.HelpCommand;
import io.tspm.examples.runner.cli.RunnerCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tspm} command: runs a tspm.yaml in the foreground ({@code run}, {@code dev}) or
 * detached ({@code start}), and drives a running runner from another shell over its control API.
 * picocli parses the command line: {@code tspm help <command>}, suggestions for mistyped commands
 * and options, {@code tspm completion} prints a bash/zsh completion script.
 *
 * <p>The commands that only talk to a runner load neither the supervisor nor the config classes;
 * the listings ({@code list}, {@code jlist}) do without picocli too ({@link FastPath}), so with the
 * class-data archive the launcher uses they start in a few tens of milliseconds.
 */
@Command(name = "tspm", mixinStandardHelpOptions = true, versionProvider = TspmCommandLine.Version.class,
        description = "Runs the processes of a tspm.yaml and keeps them running; drives a running runner.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            HelpCommand.class,
            RunnerCommands.Run.class,
            RunnerCommands.Dev.class,
            RunnerCommands.Start.class,
            ClientCommands.ListCommand.class,
            ClientCommands.Jlist.class,
            ClientCommands.Describe.class,
            ClientCommands.Logs.class,
            RunnerCommands.Monit.class,
            ClientCommands.Stop.class,
            ClientCommands.Restart.class,
            ClientCommands.Reload.class,
            ClientCommands.Scale.class,
            ClientCommands.Reset.class,
            ClientCommands.Flush.class,
            ClientCommands.ReloadLogs.class,
            ClientCommands.Apply.class,
            ClientCommands.Save.class,
            RunnerCommands.Resurrect.class,
            ClientCommands.Kill.class,
            ClientCommands.Groups.class,
            ClientCommands.Report.class,
            ClientCommands.Open.class,
            ClientCommands.Startup.class,
            ClientCommands.Export.class,
            CompletionCommand.class,
            RunnerCommands.RunnerChild.class,
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  done (run, kill: every process stopped on its stop signal)",
            "  1  failed (a start, an action, a config that does not load)",
            "  2  wrong command line",
            "  3  no runner is running where tspm looked",
            "  4  no process, namespace or selector of that name",
            "  5  stopped, but a process had to be killed at its stop timeout",
            "  6  the runner refused the token",
            "  7  a runner already runs in that state directory",
            "130  stopped by a second Ctrl-C without waiting",
        })
public final class Tspm {

    private Tspm() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--write-class-archive")) {
            TspmCommandLine.warmUp();
            return;
        }
        if (FastPath.handles(args)) {
            int code = FastPath.run(args, java.nio.file.Path.of("").toAbsolutePath(), System.getenv(), System.out,
                    System.err);
            // Not System.exit: from JDK 21 it logs the exit through System.Logger, whose classes cost
            // the listing more than the rest of its exit. A listing has no shutdown hooks to run.
            if (code != ExitCodes.OK) {
                System.err.flush();
                Runtime.getRuntime().halt(code);
            }
            return;
        }
        System.exit(TspmCommandLine.execute(args));
    }
}
