package io.tspm.loadbalancer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for one event loop (so unsynchronized): a proxied connection takes
 * them and gives them back when it closes, so a stream of short connections does not allocate them
 * anew. At most {@code maxPooled} wait here; the rest are left to the collector.
 */
final class BufferPool {

    private final int size;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    BufferPool(int size, int maxPooled) {
        this.size = size;
        this.maxPooled = maxPooled;
    }

    int size() {
        return size;
    }

    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b : ByteBuffer.allocateDirect(size);
    }

    void give(ByteBuffer b) {
        if (free.size() < maxPooled) {
            b.clear();
            free.push(b);
        }
    }
}
