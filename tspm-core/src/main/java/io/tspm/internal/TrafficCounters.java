package io.tspm.internal;

import io.tspm.TrafficStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** An instance's traffic figures, counted by its leases without a lock. */
final class TrafficCounters {
    final LongAdder served = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final AtomicInteger ejections = new AtomicInteger();

    TrafficStats stats(int open) {
        return new TrafficStats(open, served.sum(), bytesIn.sum(), bytesOut.sum(), connectFailures.sum(),
                ejections.get());
    }
}
