package io.tspm.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of a {@link RotatingLogFile} for lines read on a thread that must never wait on a disk
 * (the native path's one output loop for all children). That thread only copies lines into a
 * buffer here; the buffer goes to the log files' thread when it is full, {@link
 * RotatingLogFile#FLUSH_INTERVAL} after its first line, or at a {@link #flush}, and is written
 * there in one call. So a busy child costs one hand-over per {@value #MAX_BUFFER} bytes, not one
 * per read, and its buffers are used again rather than allocated afresh.
 *
 * <p>Buffers go to the file in the order they were filled, whoever filled them (merged instances
 * share one file). Each carries the counter of the instance whose lines it holds, so lines a
 * failing disk loses are counted where they came from.
 */
final class AsyncLogFile {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncLogFile.class);
    /** A quiet file's buffer starts at this; a timed flush that finds less gives it back. */
    private static final int INITIAL_BUFFER = 8 * 1024;
    /** A busy file's buffers; 1,000 busy children hold three each when idle (the front and two spares), so not more. */
    static final int MAX_BUFFER = 128 * 1024;
    private static final int MAX_SPARES = 2;

    /** Lines on their way to the file, or (no bytes) a flush's future to complete once all before it are written. */
    private record Chunk(byte[] bytes, int len, int lines, AtomicLong unwritten, CompletableFuture<Void> done) {
    }

    private final RotatingLogFile file;
    private final Executor writes;
    private final Consumer<Runnable> flushLater;
    private final Runnable timedFlush = this::timedFlush;
    /** Bytes handed to the files thread and not yet written. */
    private final AtomicLong pending = new AtomicLong();
    // All below guarded by this.
    private byte[] front;
    private int count;
    private int lines;
    /** Whose lines are in {@link #front}. */
    private AtomicLong owner;
    /**
     * Full-size buffers the files thread gave back, for the next fronts. Two, because a busy file
     * has one buffer being written while the next fills: with one spare, each front that filled
     * before the write before it ended was a new 128 KiB array, zeroed and paged in (a child
     * writing 57 MB as fast as it could cost about as much garbage).
     */
    private final ArrayDeque<byte[]> spares = new ArrayDeque<>(MAX_SPARES);
    /** The last buffer handed over was full: the next starts at full size. */
    private boolean busy;
    private boolean flushArmed;
    private boolean draining;
    /** Whether the file was asked to open: it is, with the first line, as when written on the reading thread. */
    private boolean touched;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>(2); // grows for a busy file; most have none waiting

    /**
     * @param writes     runs the writes, one at a time, in order (the log files' thread)
     * @param flushLater runs a task {@link RotatingLogFile#FLUSH_INTERVAL} from now
     */
    AsyncLogFile(RotatingLogFile file, Executor writes, Consumer<Runnable> flushLater) {
        this.file = file;
        this.writes = writes;
        this.flushLater = flushLater;
    }

    /** Bytes handed to the files thread and not yet written: what a reader far ahead of the disk is paused on. */
    long pending() {
        return pending.get();
    }

    /**
     * Takes {@code n} whole lines (each ends with '\n'); {@code block} may be reused once this
     * returns. Lines a failure keeps from the file are added to {@code unwritten}. Never blocks on the disk.
     */
    void append(byte[] block, int off, int len, int n, AtomicLong unwritten) {
        boolean drain = false;
        boolean arm = false;
        synchronized (this) {
            if (!touched) {
                touched = true;
                queue.add(new Chunk(new byte[0], 0, 0, unwritten, null)); // opens it: the file is there at once
                drain = startDrain();
            }
            if (count > 0 && owner != unwritten) {
                drain |= handOff();
            }
            if (front != null && count + len > front.length && count + len <= MAX_BUFFER) {
                front = java.util.Arrays.copyOf(front, Math.min(MAX_BUFFER, Math.max(2 * front.length, count + len)));
            }
            if (front != null && count + len > front.length) {
                drain |= handOff();
            }
            if (len > MAX_BUFFER) { // longer than any buffer: on its own
                queue.add(new Chunk(java.util.Arrays.copyOfRange(block, off, off + len), len, n, unwritten, null));
                pending.addAndGet(len);
                drain |= startDrain();
            } else {
                if (front == null) {
                    front = take(len);
                }
                System.arraycopy(block, off, front, count, len);
                count += len;
                lines += n;
                owner = unwritten;
                if (!flushArmed) {
                    flushArmed = true;
                    arm = true;
                }
            }
        }
        if (drain) {
            writes.execute(this::drain);
        }
        if (arm) {
            flushLater.accept(timedFlush); // outside the lock: the scheduler takes its own
        }
    }

    /** Hands what is buffered to the files thread; the future completes once it, and all before it, is in the file. */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean drain;
        synchronized (this) {
            drain = handOff();
            queue.add(new Chunk(null, 0, 0, null, done));
            drain |= startDrain();
        }
        if (drain) {
            writes.execute(this::drain);
        }
        return done;
    }

    private void timedFlush() {
        boolean drain;
        synchronized (this) {
            flushArmed = false;
            boolean quiet = count < INITIAL_BUFFER;
            drain = handOff();
            if (quiet) {
                spares.clear(); // 1,000 quiet children must not hold a buffer each
                busy = false;
            }
        }
        if (drain) {
            writes.execute(this::drain);
        }
    }

    private byte[] take(int len) {
        byte[] b = spares.poll();
        if (b != null) {
            return b;
        }
        return new byte[busy ? MAX_BUFFER : Math.max(INITIAL_BUFFER, len)];
    }

    /** Queues the front buffer; returns whether the caller must start a drain. Under the lock. */
    private boolean handOff() {
        if (count == 0) {
            return false;
        }
        busy = front.length == MAX_BUFFER;
        queue.add(new Chunk(front, count, lines, owner, null));
        pending.addAndGet(count);
        front = null;
        count = 0;
        lines = 0;
        owner = null;
        return startDrain();
    }

    private boolean startDrain() {
        if (draining) {
            return false;
        }
        draining = true;
        return true;
    }

    /** On the files thread: writes the queue out, in order, until it is empty. */
    private void drain() {
        while (true) {
            Chunk c;
            synchronized (this) {
                c = queue.poll();
                if (c == null) {
                    draining = false;
                    return;
                }
            }
            if (c.done != null) {
                c.done.complete(null);
                continue;
            }
            try {
                int lost = file.writeThrough(c.bytes, 0, c.len, c.lines);
                if (lost != 0) {
                    c.unwritten.addAndGet(lost);
                }
            } catch (Throwable t) { // the queue must go on: later flushes wait on it
                c.unwritten.addAndGet(c.lines);
                LOG.error("writing {} failed", file.path(), t);
            } finally {
                pending.addAndGet(-c.len);
            }
            if (c.bytes.length == MAX_BUFFER) {
                synchronized (this) {
                    if (busy && spares.size() < MAX_SPARES) {
                        spares.push(c.bytes);
                    }
                }
            }
        }
    }
}
