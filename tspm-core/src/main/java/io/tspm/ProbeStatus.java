package io.tspm;

import java.time.Instant;
import java.util.Objects;

/**
 * The last word of one probe of an instance's current process.
 *
 * @param kind                startup, readiness or liveness
 * @param probe               what it checks ({@code Probe.describe()}: "http http://127.0.0.1:8080/health")
 * @param passing             whether the last check passed (false before the first check)
 * @param message             what the last check saw, in words; empty before the first check
 * @param checkedAt           when the last check ended, by the supervisor's clock; null before the first
 * @param consecutiveFailures failures in a row up to the last check
 */
public record ProbeStatus(ProbeKind kind, String probe, boolean passing, String message, Instant checkedAt,
        int consecutiveFailures) {

    /** Checks the non-null parts. */
    public ProbeStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(message, "message");
    }

    /** Whether the probe has been checked at least once. */
    public boolean checked() {
        return checkedAt != null;
    }

    /** {@code readiness probe http ...: failing 3 times: HTTP 503}. */
    @Override
    public String toString() {
        String role = kind.name().toLowerCase(java.util.Locale.ROOT);
        if (!checked()) {
            return role + " probe " + probe + ": not checked yet";
        }
        return role + " probe " + probe + ": " + (passing ? "passing" : "failing"
                + (consecutiveFailures > 1 ? " " + consecutiveFailures + " times" : "")) + ": " + message;
    }
}
