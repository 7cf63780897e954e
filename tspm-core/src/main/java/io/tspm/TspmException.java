package io.tspm;

/** The root of the exceptions TSPM throws for things that went wrong at run time. */
public class TspmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TspmException(String message) {
        super(message);
    }

    public TspmException(String message, Throwable cause) {
        super(message, cause);
    }
}
