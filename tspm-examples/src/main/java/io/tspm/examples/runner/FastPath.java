package io.tspm.examples.runner;

import io.tspm.examples.runner.client.ControlClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code tspm list}, {@code ls}, {@code status} and {@code jlist} (with {@code --json} or not) without
 * picocli: its classes are Java 5 bytecode, which class-data sharing cannot archive, and building its
 * model of 25 commands by reflection costs more than the whole command should (the goal is 150 ms).
 * Every other form, {@code --help} and typos included, goes through picocli as usual.
 */
final class FastPath {

    private static final Set<String> LISTINGS = Set.of("list", "ls", "status", "jlist");

    private FastPath() {
    }

    /** Whether {@code args} is a listing this path serves. */
    static boolean handles(String[] args) {
        if (args.length == 0 || args.length > 2 || !LISTINGS.contains(args[0])) {
            return false;
        }
        return args.length == 1 || args[1].equals("--json");
    }

    /** Runs the listing; returns the exit code. */
    static int run(String[] args, Path cwd, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean json = args[0].equals("jlist") || args.length == 2;
        try {
            ControlClient client = ControlClient.locate(cwd, env);
            String body = client.get(json ? "/v1/processes"
                    : "/v1/processes?view=text" + (System.console() != null ? "&color=true" : "")).body();
            out.print(body);
            if (!body.endsWith("\n")) {
                out.println();
            }
            out.flush();
            return ExitCodes.OK;
        } catch (RunnerException e) {
            err.println("tspm: " + e.getMessage());
            return e.exitCode();
        }
    }
}
