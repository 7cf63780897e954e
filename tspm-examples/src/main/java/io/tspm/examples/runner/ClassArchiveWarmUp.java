package io.tspm.examples.runner;

import io.tspm.examples.runner.client.Json;
import io.tspm.examples.runner.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * The warm-up for the client's class-data archive: parses the client commands and lists a stand-in
 * runner, so the classes a {@code tspm list} loads are in the archive ({@code -XX:ArchiveClassesAtExit},
 * run by the launcher at build time and at a JDK's first client command).
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
            Files.writeString(state.token(), "warm-up\n");
            java.io.PrintStream devNull = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            // A stand-in runner on loopback, so the whole path, the reply's reading included, is archived.
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Thread replies = new Thread(() -> answer(server), "tspm-cds-warm-up");
                replies.setDaemon(true);
                replies.start();
                Files.writeString(state.port(), server.getLocalPort() + "\n");
                for (String[] args : new String[][] {{"list"}, {"jlist"}, {"ls", "--json"}}) {
                    FastPath.run(args, dir.getParent(), Map.of("TSPM_HOME", dir.toString()), devNull, devNull);
                }
            }
            // Nothing listens any more: the "no runner" path.
            FastPath.run(new String[] {"list"}, dir, Map.of(), devNull, devNull);
            Json.parse("{\"error\": \"x\", \"n\": [1, 2.5, true, null]}");
            Files.delete(state.port());
            Files.delete(state.token());
            Files.delete(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Answers every request as a runner would a listing, until the socket closes. */
    private static void answer(ServerSocket server) {
        byte[] reply = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n[]\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (true) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                // The request ends with its empty line (a GET has no body).
                for (int state = 0, c; state < 4 && (c = in.read()) >= 0; ) {
                    state = c == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : c == '\r' ? 1 : 0;
                }
                s.getOutputStream().write(reply);
            } catch (IOException e) {
                return;
            }
        }
    }
}
