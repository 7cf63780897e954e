package io.tspm.loadbalancer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for one event loop (so unsynchronized): a proxied connection takes two
 * and gives them back when it closes, so a stream of short connections does not allocate them anew.
 */
final class BufferPool {

    private static final int MAX_POOLED = 256;

    private final int size;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    BufferPool(int size) {
        this.size = size;
    }

    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b : ByteBuffer.allocateDirect(size);
    }

    void give(ByteBuffer b) {
        if (free.size() < MAX_POOLED) {
            b.clear();
            free.push(b);
        }
    }
}
