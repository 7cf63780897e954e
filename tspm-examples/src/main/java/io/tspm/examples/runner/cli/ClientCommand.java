package io.tspm.examples.runner.cli;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.client.ControlClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a running runner: finds it, calls it, prints what it answers. */
abstract class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The runner found from the working directory (or {@code $TSPM_HOME}). */
    ControlClient client() {
        return ControlClient.locate(Path.of("").toAbsolutePath(), System.getenv());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code text} as it is (it ends with a newline, or gets one). */
    int print(String text) {
        PrintWriter out = out();
        out.print(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Whether standard output is a terminal (colours then). */
    static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public abstract Integer call() throws Exception;
}
