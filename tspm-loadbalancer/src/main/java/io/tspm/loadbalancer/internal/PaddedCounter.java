package io.tspm.loadbalancer.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter on a cache line of its own: the round-robin cursors are written by every picking
 * thread, and a neighbour on the same line would pay for each increment.
 */
@SuppressWarnings("unused")
final class PaddedCounter extends AtomicLong {

    private static final long serialVersionUID = 1L;

    // Seven longs after the value fill its 64-byte line (the object header sits before it).
    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;

    /** The next value, 0 first; never negative in practice (2^63 picks). */
    long next() {
        return getAndIncrement();
    }
}
