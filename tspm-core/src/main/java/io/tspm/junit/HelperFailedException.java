package io.tspm.junit;

import io.tspm.TspmException;

/**
 * A test's helper processes let it down: they did not start (the {@link io.tspm.ProcessStartException}
 * is the cause, naming the helper, its probe and its last lines), or one crashed while the test
 * ran (the message names it, with its exit and last lines).
 */
public class HelperFailedException extends TspmException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public HelperFailedException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public HelperFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
