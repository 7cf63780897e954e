package io.tspm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Reads one output stream of a child line by line on a small-stack platform daemon thread (a
 * virtual thread blocked on a pipe would pin its carrier), and hands each line to the process's
 * SLF4J logger and the instance's ring. Lines longer than {@link #MAX_LINE} bytes are split;
 * bytes that are not UTF-8 become U+FFFD, so binary output cannot break the pump.
 */
final class OutputPump implements Runnable {

    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final Logger logger;
    private final boolean stderr;
    private final String instanceId;
    private final LineRing ring;

    private OutputPump(InputStream in, Logger logger, boolean stderr, int instanceId, LineRing ring) {
        this.in = in;
        this.logger = logger;
        this.stderr = stderr;
        this.instanceId = Integer.toString(instanceId);
        this.ring = ring;
    }

    /** Starts the reader; the future completes when the stream has been read to its end. */
    static java.util.concurrent.CompletableFuture<Void> start(String threadName, InputStream in, Logger logger,
            boolean stderr, int instanceId, LineRing ring) {
        OutputPump pump = new OutputPump(in, logger, stderr, instanceId, ring);
        Thread t = new Thread(null, pump, threadName, 128 * 1024);
        t.setDaemon(true);
        t.start();
        return pump.done;
    }

    private final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();

    @Override
    public void run() {
        MDC.put("tspm.instance", instanceId);
        byte[] buf = new byte[8192];
        byte[] line = new byte[256];
        int len = 0;
        try (InputStream stream = in) {
            int n;
            while ((n = stream.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line, len);
                        len = 0;
                        continue;
                    }
                    if (len == line.length) {
                        if (len == MAX_LINE) {
                            emit(line, len);
                            len = 0;
                        } else {
                            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, len * 2));
                        }
                    }
                    line[len++] = b;
                }
            }
        } catch (IOException e) {
            // The stream closes when the process dies; what was read is still delivered below.
        } finally {
            if (len > 0) {
                emit(line, len);
            }
            MDC.remove("tspm.instance");
            done.complete(null);
        }
    }

    private void emit(byte[] bytes, int len) {
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        String text = new String(bytes, 0, len, StandardCharsets.UTF_8);
        ring.add(text);
        if (stderr) {
            logger.warn(text);
        } else {
            logger.info(text);
        }
    }
}
