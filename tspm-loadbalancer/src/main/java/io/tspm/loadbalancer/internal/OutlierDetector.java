package io.tspm.loadbalancer.internal;

import io.tspm.loadbalancer.OutlierDetection;
import io.tspm.time.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts each instance's connect failures in a row and decides its ejections (see
 * {@link OutlierDetection}): decided under this object's lock, carried out after it, so an ejection
 * that publishes a new view never runs under it. Time comes from the ticker given.
 */
public final class OutlierDetector {

    /** The group as the detector sees it. */
    public interface Instances {

        /** How many instances the group has. */
        int total();

        /** Whether instance {@code id} is ejected now. */
        boolean isEjected(int id);

        /** Ejects instance {@code id} for {@code time}, saying why. */
        void eject(int id, Duration time, String reason);
    }

    private final OutlierDetection settings;
    private final Instances instances;
    private final Ticker ticker;
    private final Map<Integer, Record> records = new HashMap<>();

    private static final class Record {
        int failuresInARow;
        int ejections;
        /** Ticker time when its latest ejection ends (or ended). */
        long outUntil = Long.MIN_VALUE;
    }

    public OutlierDetector(OutlierDetection settings, Instances instances, Ticker ticker) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.instances = Objects.requireNonNull(instances, "instances");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** A connect to {@code id} succeeded: its run of failures ends. */
    public void connected(int id) {
        if (!settings.enabled()) {
            return;
        }
        synchronized (this) {
            Record r = records.get(id);
            if (r != null) {
                r.failuresInARow = 0;
            }
        }
    }

    /**
     * A connect to {@code id} was refused or timed out; ejects it when that makes its run of failures
     * long enough and the group may lose another instance.
     *
     * @return how long it was ejected for, or null when it was not
     */
    public Duration connectFailed(int id) {
        if (!settings.enabled()) {
            return null;
        }
        Duration ejectFor;
        synchronized (this) {
            Record r = records.computeIfAbsent(id, k -> new Record());
            r.failuresInARow++;
            long now = ticker.read();
            if (r.failuresInARow < settings.consecutiveFailures() || now < r.outUntil || !mayEjectAnother()) {
                return null;
            }
            long base = settings.baseEjection().toNanos();
            if (r.ejections > 0 && r.outUntil != Long.MIN_VALUE) {
                long inFor = Math.max(0, now - r.outUntil);
                r.ejections = (int) Math.max(0, r.ejections - inFor / base); // each base period in takes one off
            }
            r.ejections++;
            ejectFor = settings.baseEjection().multipliedBy(r.ejections);
            if (ejectFor.compareTo(settings.maxEjection()) > 0) {
                ejectFor = settings.maxEjection();
            }
            r.outUntil = now + ejectFor.toNanos();
            r.failuresInARow = 0;
        }
        instances.eject(id, ejectFor, settings.consecutiveFailures() + " connect failures in a row");
        return ejectFor;
    }

    /** How many times {@code id} was ejected, as counted for its next ejection's length. */
    public synchronized int ejections(int id) {
        Record r = records.get(id);
        return r == null ? 0 : r.ejections;
    }

    private boolean mayEjectAnother() {
        int total = instances.total();
        int out = 0;
        for (int id = 0; id < total; id++) {
            if (instances.isEjected(id)) {
                out++;
            }
        }
        int allowed = Math.max(1, (int) Math.floor(settings.maxEjectedShare() * total));
        return out < allowed;
    }
}
