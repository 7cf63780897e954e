package io.tspm.examples.runner.server;

/** A request the control API answers with an error status and a message, as {@code {"error": ...}}. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
