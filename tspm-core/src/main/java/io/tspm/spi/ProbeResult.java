package io.tspm.spi;

import java.util.Objects;

/**
 * The outcome of one probe check.
 *
 * @param success whether the check passed
 * @param fatal   a failure that must not be retried: the start fails at once (a log line such as
 *                "Address already in use"), whatever the failure threshold says
 * @param message what was seen, in words ("HTTP 503 from http://127.0.0.1:8080/health")
 */
public record ProbeResult(boolean success, boolean fatal, String message) {

    public ProbeResult {
        Objects.requireNonNull(message, "message");
        if (success && fatal) {
            throw new IllegalArgumentException("a successful result cannot be fatal");
        }
    }

    /** A check that passed. */
    public static ProbeResult success(String message) {
        return new ProbeResult(true, false, message);
    }

    /** A check that failed; the failure threshold decides whether the verdict changes. */
    public static ProbeResult failure(String message) {
        return new ProbeResult(false, false, message);
    }

    /** A failure that ends the start at once. */
    public static ProbeResult fatal(String message) {
        return new ProbeResult(false, true, message);
    }
}
