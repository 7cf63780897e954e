package io.tspm;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Figures derived from an instance's exits, part of its {@link InstanceSnapshot}.
 *
 * @param crashes                 exits the supervisor did not ask for, with a non-zero code or before ready
 * @param restartsInWindow        automatic restarts inside the policy's current sliding window
 * @param currentBackoff          the delay of the last (or pending) automatic restart; zero before any
 * @param meanTimeBetweenFailures the mean uptime of the runs that ended in a crash (over the kept history)
 * @param lastCrash               when the last crash was seen
 */
public record CrashStats(
        int crashes,
        int restartsInWindow,
        Duration currentBackoff,
        Optional<Duration> meanTimeBetweenFailures,
        Optional<Instant> lastCrash) {

    /** No crash, no restart, no backoff: the figures of an instance that never crashed. */
    public static final CrashStats NONE = new CrashStats(0, 0, Duration.ZERO, Optional.empty(), Optional.empty());

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(crashes).append(crashes == 1 ? " crash" : " crashes")
                .append(", ").append(restartsInWindow).append(" restarts in the window");
        if (!currentBackoff.isZero()) {
            sb.append(", backoff ").append(Human.duration(currentBackoff));
        }
        meanTimeBetweenFailures.ifPresent(m -> sb.append(", mean uptime before a crash ")
                .append(Human.duration(m)));
        lastCrash.ifPresent(t -> sb.append(", last at ").append(t));
        return sb.toString();
    }
}
