package io.tspm.internal;

import io.tspm.TrafficStats;
import io.tspm.event.InstanceEjected;
import io.tspm.event.InstanceReturned;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What load balancing knows of one instance: the work in flight on it and what it served
 * (counted by its leases without a lock), whether it is ejected (for how long, on the
 * supervisor's scheduler) and whether it drains (on its way out, it takes no new work).
 */
final class InstanceTraffic {

    private final Engine engine;
    private final ManagedGroup group;
    private final String process;
    private final int id;
    /** Called when the last work in flight ended: a drain waiting for that may end. */
    private final Runnable idle;

    /** Work handed to it and not finished (leases, proxied connections); read live by load balancers. */
    final AtomicInteger inFlight = new AtomicInteger();
    final LongAdder served = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    private final AtomicInteger ejections = new AtomicInteger();
    /** The token of the ejection in force, null when not ejected. */
    private volatile Object ejection;
    private volatile boolean draining;

    InstanceTraffic(Engine engine, ManagedGroup group, String process, int id, Runnable idle) {
        this.engine = engine;
        this.group = group;
        this.process = process;
        this.id = id;
        this.idle = idle;
    }

    /** Neither ejected nor draining: it may be picked if it is ready. */
    boolean open() {
        return ejection == null && !draining;
    }

    boolean draining() {
        return draining;
    }

    boolean ejected() {
        return ejection != null;
    }

    /** Takes no new work from now on; the group's view drops it. */
    void startDraining() {
        if (!draining) {
            draining = true;
            group.endpointsChanged();
        }
    }

    /** No picks for {@code duration}; a second ejection meanwhile decides when it returns. */
    void eject(Duration duration, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("eject duration must be positive, but was " + duration);
        }
        Object token = new Object();
        ejection = token;
        int count = ejections.incrementAndGet();
        engine.publish(new InstanceEjected(engine.now(), process, id, duration, count, reason));
        group.endpointsChanged();
        engine.schedule(() -> returnFrom(token), duration);
    }

    private void returnFrom(Object token) {
        synchronized (this) {
            if (ejection != token) {
                return; // ejected again meanwhile: the later one decides
            }
            ejection = null;
        }
        engine.publish(new InstanceReturned(engine.now(), process, id));
        group.endpointsChanged();
    }

    /**
     * A new process was spawned for the instance: an ejection was about the one before (it
     * failed, or was dying), and a drain was its way out, so both end now; the new one is judged
     * afresh.
     */
    void newProcess() {
        boolean returned;
        synchronized (this) {
            returned = ejection != null;
            ejection = null;
            draining = false; // a drain was the last process's way out; this one takes work
        }
        if (returned) {
            engine.publish(new InstanceReturned(engine.now(), process, id));
        }
        group.endpointsChanged();
    }

    /** A lease closed: a draining instance's drain may end with its last one. */
    void leaseClosed(boolean connected) {
        if (connected) {
            served.increment();
        }
        if (inFlight.decrementAndGet() == 0) {
            idle.run();
        }
    }

    TrafficStats stats() {
        return new TrafficStats(inFlight.get(), served.sum(), bytesIn.sum(), bytesOut.sum(), connectFailures.sum(),
                ejections.get());
    }
}
