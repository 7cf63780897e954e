package io.tspm.loadbalancer.internal;

import io.tspm.loadbalancer.ProxyStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The proxy's own counters, written by its event loops. */
public final class ProxyCounters {

    final AtomicInteger open = new AtomicInteger();
    final LongAdder accepted = new LongAdder();
    final LongAdder overLimit = new LongAdder();
    final LongAdder unserved = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder idleClosed = new LongAdder();
    final LongAdder ejections = new LongAdder();

    /** A copy of the counters now. */
    public ProxyStats snapshot() {
        return new ProxyStats(open.get(), accepted.sum(), overLimit.sum(), unserved.sum(), connectFailures.sum(),
                idleClosed.sum(), ejections.sum());
    }
}
