package io.tspm.internal;

/**
 * How a reader of a child's pipe treats a child that writes in blocks as fast as it can (stdio's
 * full buffer to a pipe is 4 KiB): both readers, {@link OutputPump} on the JDK path and the native
 * path's one output thread, let the pipe fill a moment after a read that emptied it, instead of
 * waking for every block. A wake-up costs both sides more than the read (on a VM, an interrupt to
 * the other core): a child writing 57 MB in 4 KiB blocks woke its reader about 14,000 times.
 */
final class BulkWriters {

    /** A read this large means its child writes in blocks, and its next block is microseconds away. */
    static final int BULK_READ = 4096;

    /**
     * How long a reader lets a bulk writer's pipe fill before it reads (or waits) again. A 64 KiB
     * pipe does not fill meanwhile even at 200 MB/s; a line waits at most this much longer.
     * Measured, a cold child writing 1,000,000 lines: 1.45-1.55x the time it takes to write its own
     * file on the native path, 1.1-1.3x with this pause and a grown pipe; 5-15 % less on the JDK path.
     */
    static final long SETTLE_NANOS = 100_000;

    private BulkWriters() {
    }
}
