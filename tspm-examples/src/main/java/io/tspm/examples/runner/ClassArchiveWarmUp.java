package io.tspm.examples.runner;

import io.tspm.examples.runner.client.Json;
import io.tspm.examples.runner.state.StateDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * The build's warm-up for the client's class-data archive: parses the client commands and walks
 * the client's path up to the socket, so the classes a {@code tspm list} loads are in the archive
 * ({@code -XX:ArchiveClassesAtExit}, run by the launcher's {@code --write-class-archive}).
 */
final class ClassArchiveWarmUp {

    private ClassArchiveWarmUp() {
    }

    static void run(CommandLine cl) {
        StringWriter sink = new StringWriter();
        cl.setOut(new PrintWriter(sink));
        cl.setErr(new PrintWriter(sink));
        for (String[] args : new String[][] {{"list", "--help"}, {"jlist", "--help"}, {"logs", "--help"},
                {"lsit"}, {"--help"}}) {
            cl.execute(args);
        }
        try {
            Path dir = Files.createTempDirectory("tspm-cds");
            StateDir state = new StateDir(dir);
            Files.writeString(state.port(), "1\n");
            Files.writeString(state.token(), "warm-up\n");
            java.io.PrintStream devNull = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            for (String[] args : new String[][] {{"list"}, {"jlist"}, {"ls", "--json"}}) {
                // Nothing listens on port 1: the path up to the socket is what is archived.
                FastPath.run(args, dir.getParent(), Map.of("TSPM_HOME", dir.toString()), devNull, devNull);
            }
            FastPath.run(new String[] {"list"}, dir, Map.of(), devNull, devNull);
            Json.parse("{\"error\": \"x\", \"n\": [1, 2.5, true, null]}");
            Files.delete(state.port());
            Files.delete(state.token());
            Files.delete(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
