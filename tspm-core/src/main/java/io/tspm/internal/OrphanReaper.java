package io.tspm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The companion process that kills a supervisor's children (and their sessions) when the JVM dies,
 * even by SIGKILL: a {@code /bin/sh} loop that reads registrations from a pipe and reaps at EOF.
 * It runs in its own session so a terminal's Ctrl-C or a kill of the JVM's process group spares it.
 */
final class OrphanReaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private final Platform platform;
    private final Map<Long, Long> registered = new LinkedHashMap<>();
    private Process process;
    private OutputStream pipe;
    private boolean closed;

    private OrphanReaper(Platform platform) {
        this.platform = platform;
    }

    /** Starts a reaper, or returns null where it cannot work (no /proc to check start times). */
    static OrphanReaper start(Platform platform) {
        if (!platform.hasProc()) {
            return null;
        }
        OrphanReaper r = new OrphanReaper(platform);
        synchronized (r) {
            r.spawn();
        }
        return r;
    }

    private void spawn() {
        List<String> argv = new ArrayList<>();
        argv.addAll(platform.sessionPrefix());
        argv.addAll(List.of("/bin/sh", "-c", script(), "tspm-reaper"));
        try {
            process = new ProcessBuilder(argv)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the companion reaper process", e);
        }
        pipe = process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    /** Registers a child that leads its own session; its start ticks guard against pid reuse. */
    synchronized void register(long pid, long startTicks) {
        if (closed) {
            return;
        }
        registered.put(pid, startTicks);
        write("+ " + pid + " " + startTicks + "\n");
    }

    synchronized void unregister(long pid) {
        if (closed || registered.remove(pid) == null) {
            return;
        }
        write("- " + pid + "\n");
    }

    private void write(String line) {
        try {
            pipe.write(line.getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            // The reaper died (killed from outside): start another and tell it everything again.
            LOG.warn("the companion reaper (pid {}) is gone; starting a new one", process.pid());
            try {
                spawn();
                StringBuilder all = new StringBuilder();
                registered.forEach((p, s) -> all.append("+ ").append(p).append(' ').append(s).append('\n'));
                pipe.write(all.toString().getBytes(StandardCharsets.US_ASCII));
                pipe.flush();
            } catch (IOException | UncheckedIOException again) {
                LOG.error("cannot restart the companion reaper; children may outlive a killed JVM", again);
            }
        }
    }

    /** Closes the pipe: the reaper kills whatever is still registered, then exits. */
    @Override
    public void close() {
        Process p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            p = process;
            try {
                pipe.close();
            } catch (IOException ignored) {
                // It is exiting either way.
            }
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reaper's /bin/sh program (package-private: a test runs it traced). */
    static String script() {
        try (InputStream in = OrphanReaper.class.getResourceAsStream("reaper.sh")) {
            if (in == null) {
                throw new IllegalStateException("reaper.sh is missing from the tspm-core jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
