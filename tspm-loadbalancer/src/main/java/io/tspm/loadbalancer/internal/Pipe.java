package io.tspm.loadbalancer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One direction of a proxied connection: bytes read from {@code from} wait in a bounded buffer
 * until {@code to} takes them. A full buffer stops the reads (back-pressure onto the sender); the
 * sender's end of stream becomes a shutdown of {@code to}'s output once the buffer is drained.
 */
final class Pipe {

    final SocketChannel from;
    final SocketChannel to;
    private final BufferPool first;
    private final BufferPool full;
    /** In fill mode: the bytes from {@code written} to position wait for {@code to}. */
    private ByteBuffer buffer;
    /** Bytes read per {@link #transfer()} before other connections get their turn. */
    private final int budget;
    /** Where the bytes not yet written start (so a partial write needs no compaction). */
    private int written;
    boolean fromEnded;
    boolean toShut;
    /** Bytes moved and not yet reported. */
    long unreported;

    Pipe(SocketChannel from, SocketChannel to, BufferPool first, BufferPool full) {
        this.from = from;
        this.to = to;
        this.first = first;
        this.full = full;
        this.buffer = first.take();
        this.budget = Math.max(full.size() * 4, 1024 * 1024);
    }

    /** Whether {@code from} should be read: not ended, room in the buffer. */
    boolean wantsRead() {
        return !fromEnded && (buffer.hasRemaining() || written > 0);
    }

    /** Whether bytes wait for {@code to}. */
    boolean wantsWrite() {
        return buffer.position() > written;
    }

    /** Whether this direction is over: the sender ended and everything reached the receiver. */
    boolean done() {
        return toShut;
    }

    /**
     * Reads from {@code from} and writes to {@code to} until {@code from} has nothing more, the
     * buffer is full and {@code to} takes nothing, or the turn's budget is spent: one selector turn
     * per burst, not per read. Whether anything moved (a byte, or the sender's end).
     */
    boolean transfer() throws IOException {
        boolean moved = false;
        for (int read = 0; read < budget; ) {
            int n = wantsRead() ? read() : 0;
            if (n != 0) {
                moved = true;
            }
            if (flush() > 0) {
                moved = true;
            }
            if (n <= 0) {
                break; // nothing came (or the end did): the selector says when more does
            }
            read += n;
        }
        return moved;
    }

    private int read() throws IOException {
        if (!buffer.hasRemaining()) {
            buffer.limit(buffer.position()).position(written);
            buffer.compact();
            written = 0;
        }
        int n = from.read(buffer);
        if (n < 0) {
            fromEnded = true;
        } else if (!buffer.hasRemaining() && buffer.capacity() < full.size()) {
            grow();
        }
        return n;
    }

    /** The small buffer filled up: a stream, which moves in fewer turns through a full-size one. */
    private void grow() {
        ByteBuffer bigger = full.take();
        buffer.limit(buffer.position()).position(written);
        bigger.put(buffer);
        first.give(buffer);
        buffer = bigger;
        written = 0;
    }

    /** Writes what waits to {@code to}; shuts its output when the sender ended and all is written. */
    private int flush() throws IOException {
        int n = 0;
        int end = buffer.position();
        if (end > written) {
            buffer.limit(end).position(written);
            n = to.write(buffer);
            written = buffer.position();
            buffer.limit(buffer.capacity()).position(end);
            if (written == end) {
                buffer.clear();
                written = 0;
            }
            unreported += n;
        }
        if (fromEnded && !wantsWrite() && !toShut) {
            toShut = true;
            to.shutdownOutput();
        }
        return n;
    }

    /** Gives the buffer back to its pool; the pipe is not used again. */
    void release() {
        (buffer.capacity() == full.size() ? full : first).give(buffer);
        buffer = null;
    }

    /** The bytes moved since the last call. */
    long takeUnreported() {
        long n = unreported;
        unreported = 0;
        return n;
    }
}
