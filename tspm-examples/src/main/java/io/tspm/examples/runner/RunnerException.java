package io.tspm.examples.runner;

/** A runner that cannot do what it was asked, with the exit code the command ends with. */
public final class RunnerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** An exception ending the command with {@code exitCode}. */
    public RunnerException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code. */
    public int exitCode() {
        return exitCode;
    }
}
