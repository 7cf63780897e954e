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
    SocketChannel to;
    /** In fill mode: position is how much waits. */
    final ByteBuffer buffer;
    boolean fromEnded;
    boolean toShut;
    /** Bytes moved and not yet reported. */
    long unreported;

    Pipe(SocketChannel from, SocketChannel to, ByteBuffer buffer) {
        this.from = from;
        this.to = to;
        this.buffer = buffer;
    }

    /** Whether {@code from} should be read: not ended, room in the buffer. */
    boolean wantsRead() {
        return !fromEnded && buffer.hasRemaining();
    }

    /** Whether bytes wait for {@code to}. */
    boolean wantsWrite() {
        return buffer.position() > 0;
    }

    /** Whether this direction is over: the sender ended and everything reached the receiver. */
    boolean done() {
        return toShut;
    }

    /** Reads what {@code from} has, once; false when nothing came. */
    boolean read() throws IOException {
        int n = from.read(buffer);
        if (n < 0) {
            fromEnded = true;
            return true;
        }
        return n > 0;
    }

    /** Writes what waits to {@code to}; shuts its output when the sender ended and all is written. */
    void flush() throws IOException {
        if (buffer.position() > 0) {
            buffer.flip();
            int n = to.write(buffer);
            buffer.compact();
            unreported += n;
        }
        if (fromEnded && buffer.position() == 0 && !toShut) {
            toShut = true;
            to.shutdownOutput();
        }
    }

    /** The bytes moved since the last call. */
    long takeUnreported() {
        long n = unreported;
        unreported = 0;
        return n;
    }
}
