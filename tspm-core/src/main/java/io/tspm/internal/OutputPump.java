package io.tspm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads one output stream of a child on a small-stack platform daemon thread (a virtual thread
 * blocked on a pipe would pin its carrier) and hands each read to a {@link LineSplitter}, which
 * passes the lines on as bytes (the file gets them as they were; text is decoded only for whoever
 * reads it, with U+FFFD for what is not UTF-8, so binary output cannot break it).
 */
final class OutputPump implements Runnable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final InstanceOutput.Writer out;
    private final int maxLine;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private OutputPump(InputStream in, InstanceOutput.Writer out, int maxLine) {
        this.in = in;
        this.out = out;
        this.maxLine = maxLine;
    }

    /** Starts the reader; the future completes when the stream has been read to its end. */
    static CompletableFuture<Void> start(String threadName, InputStream in, InstanceOutput.Writer out, int maxLine) {
        OutputPump pump = new OutputPump(in, out, maxLine);
        Thread t = new Thread(null, pump, threadName, 128 * 1024);
        t.setDaemon(true);
        t.start();
        return pump.done;
    }

    @Override
    public void run() {
        // A quarter of a Linux pipe: one per stream and thread, so 1,000 children hold 2,000 of them.
        byte[] buf = new byte[16 * 1024];
        LineSplitter lines = new LineSplitter(out, maxLine);
        try (InputStream stream = in) {
            int n;
            while ((n = stream.read(buf)) > 0) {
                lines.read(buf, 0, n);
                if (n >= BulkWriters.BULK_READ && n < buf.length) { // a bulk writer's pipe, emptied
                    LockSupport.parkNanos(BulkWriters.SETTLE_NANOS);
                }
            }
        } catch (IOException e) {
            // The stream closes when the process dies; what was read is still delivered below.
        } catch (Throwable t) {
            // Never stop reading: a dead pump would leave the child to die of SIGPIPE.
            LOG.error("output pump failed; discarding the rest of the stream", t);
            drain();
        } finally {
            try {
                lines.end();
            } finally {
                done.complete(null);
            }
        }
    }

    private void drain() {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) > 0) {
                // discard
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }
}
