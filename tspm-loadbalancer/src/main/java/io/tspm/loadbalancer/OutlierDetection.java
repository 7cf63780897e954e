package io.tspm.loadbalancer;

import io.tspm.Human;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health for the TCP proxy (Envoy's outlier detection, consecutive connect failures):
 * {@code consecutiveFailures} refused or timed-out connects in a row eject an instance for
 * {@code baseEjection} times the number of its ejections, at most {@code maxEjection}; it returns
 * when that time is up and its readiness passes again. At most {@code maxEjectedShare} of the
 * group is ejected at once, but always at least one instance may be. Each {@code baseEjection} an
 * instance stays in takes one off its ejection count.
 *
 * @param consecutiveFailures connect failures in a row that eject, at least 1; 0 turns detection off
 * @param baseEjection        the first ejection's length (default 30 s)
 * @param maxEjection         the longest ejection (default 300 s)
 * @param maxEjectedShare     the share of the group's instances that may be out at once, 0..1 (default 0.1)
 */
public record OutlierDetection(int consecutiveFailures, Duration baseEjection, Duration maxEjection,
        double maxEjectedShare) {

    /** 5 failures in a row, 30 s growing to at most 300 s, at most 10% of the group (at least one instance). */
    public static final OutlierDetection DEFAULTS = new OutlierDetection(5, Duration.ofSeconds(30),
            Duration.ofSeconds(300), 0.1);

    /** Never ejects. */
    public static final OutlierDetection OFF = new OutlierDetection(0, Duration.ofSeconds(30), Duration.ofSeconds(300),
            0.1);

    /** Checks each. */
    public OutlierDetection {
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 0, but was " + consecutiveFailures);
        }
        Objects.requireNonNull(baseEjection, "baseEjection");
        Objects.requireNonNull(maxEjection, "maxEjection");
        if (baseEjection.isNegative() || baseEjection.isZero()) {
            throw new IllegalArgumentException("baseEjection must be > 0, but was " + Human.duration(baseEjection));
        }
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("maxEjection must be >= baseEjection (" + Human.duration(baseEjection)
                    + "), but was " + Human.duration(maxEjection));
        }
        if (!(maxEjectedShare >= 0 && maxEjectedShare <= 1)) {
            throw new IllegalArgumentException("maxEjectedShare must be in 0..1, but was " + maxEjectedShare);
        }
    }

    /** Whether it ejects at all. */
    public boolean enabled() {
        return consecutiveFailures > 0;
    }

    /** These settings with {@code failures} in a row ejecting. */
    public OutlierDetection withConsecutiveFailures(int failures) {
        return new OutlierDetection(failures, baseEjection, maxEjection, maxEjectedShare);
    }

    /** These settings with ejections of {@code base} growing to at most {@code max}. */
    public OutlierDetection withEjection(Duration base, Duration max) {
        return new OutlierDetection(consecutiveFailures, base, max, maxEjectedShare);
    }

    /** These settings with at most {@code share} of the group out at once. */
    public OutlierDetection withMaxEjectedShare(double share) {
        return new OutlierDetection(consecutiveFailures, baseEjection, maxEjection, share);
    }

    @Override
    public String toString() {
        return enabled() ? "OutlierDetection{" + consecutiveFailures + " failures in a row, " + Human.duration(baseEjection)
                + " up to " + Human.duration(maxEjection) + ", at most " + Math.round(maxEjectedShare * 100)
                + "% out}" : "OutlierDetection{off}";
    }
}
