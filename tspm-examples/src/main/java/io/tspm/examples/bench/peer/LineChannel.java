package io.tspm.examples.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * A controlling child that takes one command a line on stdin and answers each, in order, with a
 * line "ok [detail]" or "err why" on stdout: the floor program, tspm's host JVM, PM2's controller.
 * Sending returns at once; the future completes with the detail when the answer comes, so the
 * benchmark times the effect from outside while the command runs.
 */
final class LineChannel {

    private final Process process;
    private final String who;
    private final OutputStream in;
    private final Queue<CompletableFuture<String>> waiting = new ArrayDeque<>();

    LineChannel(Process process, String who) {
        this.process = process;
        this.who = who;
        this.in = process.getOutputStream();
        Thread reader = new Thread(this::readAnswers, "peer-" + who + "-answers");
        reader.setDaemon(true);
        reader.start();
    }

    /** The first answer: the child says "ok" when it is ready for commands. */
    CompletableFuture<String> greeting() {
        synchronized (waiting) {
            CompletableFuture<String> f = new CompletableFuture<>();
            waiting.add(f);
            return f;
        }
    }

    CompletableFuture<String> send(String command) {
        CompletableFuture<String> f = new CompletableFuture<>();
        synchronized (waiting) {
            waiting.add(f);
            try {
                in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                waiting.remove(f);
                f.completeExceptionally(new IOException(who + " took no command (" + e.getMessage() + "): " + command, e));
            }
        }
        return f;
    }

    /** Closes the child's stdin: each of them stops its children and ends at EOF. */
    void closeInput() {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
    }

    Process process() {
        return process;
    }

    private void readAnswers() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.equals("ok") && !line.startsWith("ok ") && !line.startsWith("err ")) {
                    continue; // chatter (PM2 prints its own messages on stdout)
                }
                CompletableFuture<String> f;
                synchronized (waiting) {
                    f = waiting.poll();
                }
                if (f == null) {
                    continue; // an answer nobody waits for
                }
                if (!line.startsWith("err ")) {
                    f.complete(line.length() > 3 ? line.substring(3) : "");
                } else {
                    f.completeExceptionally(new IllegalStateException(who + ": " + line));
                }
            }
        } catch (IOException e) {
            // the child is gone: fail what waits below
        }
        synchronized (waiting) {
            for (CompletableFuture<String> f; (f = waiting.poll()) != null; ) {
                f.completeExceptionally(new IllegalStateException(who + " ended before answering"));
            }
        }
    }
}
