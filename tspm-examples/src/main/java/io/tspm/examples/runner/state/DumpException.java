package io.tspm.examples.runner.state;

/** A saved dump that cannot be restored: the message names the file and what is wrong with it. */
public final class DumpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public DumpException(String message) {
        super(message);
    }
}
