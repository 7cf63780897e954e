package io.tspm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one output stream of a child on a small-stack platform daemon thread (a virtual thread
 * blocked on a pipe would pin its carrier) and hands it on line by line. A line longer than the
 * bound is split, not buffered without limit; bytes are passed on raw (the file gets them as they
 * were) and decoded once, with U+FFFD for what is not UTF-8, so binary output cannot break it.
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
        byte[] buf = new byte[16 * 1024];
        byte[] line = new byte[256];
        int len = 0;
        try (InputStream stream = in) {
            int n;
            while ((n = stream.read(buf)) > 0) {
                out.arrived(); // before any work on the chunk, so the other stream cannot overtake it
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    // A whole line inside the buffer needs no copy unless a partial one precedes it.
                    if (len == 0) {
                        emit(buf, start, i - start);
                    } else {
                        line = append(line, len, buf, start, i - start);
                        emit(line, 0, len + (i - start));
                        len = 0;
                    }
                    start = i + 1;
                }
                if (start < n) {
                    line = append(line, len, buf, start, n - start);
                    len = emitLong(line, len + (n - start));
                }
                out.flush();
            }
        } catch (IOException e) {
            // The stream closes when the process dies; what was read is still delivered below.
        } catch (Throwable t) {
            // Never stop reading: a dead pump would leave the child to die of SIGPIPE.
            LOG.error("output pump failed; discarding the rest of the stream", t);
            drain();
        } finally {
            if (len > 0) {
                emit(line, 0, len);
            }
            out.flush();
            done.complete(null);
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

    private static byte[] append(byte[] line, int len, byte[] src, int off, int count) {
        if (len + count > line.length) {
            line = Arrays.copyOf(line, Math.max(len + count, line.length * 2));
        }
        System.arraycopy(src, off, line, len, count);
        return line;
    }

    /**
     * Emits bound-sized pieces of an over-long pending line while more than the bound is pending;
     * up to the bound stays, so the end of the line is cut the same way whatever the read sizes.
     */
    private int emitLong(byte[] line, int len) {
        if (len <= maxLine) {
            return len;
        }
        int off = 0;
        while (len - off > maxLine) {
            out.line(line, off, maxLine);
            off += maxLine;
        }
        System.arraycopy(line, off, line, 0, len - off);
        return len - off;
    }

    private void emit(byte[] b, int off, int len) {
        while (len > maxLine) {
            out.line(b, off, maxLine);
            off += maxLine;
            len -= maxLine;
        }
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        out.line(b, off, len);
    }
}
