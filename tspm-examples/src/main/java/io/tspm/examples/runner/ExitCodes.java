package io.tspm.examples.runner;

/**
 * The exit codes of every {@code tspm} command, stable for scripts (the README lists them).
 */
public final class ExitCodes {
    /** Done; for {@code run} and {@code kill}: every process stopped on its stop signal. */
    public static final int OK = 0;
    /** The command failed: a start, an action, a config that does not load. */
    public static final int FAILURE = 1;
    /** The command line is wrong (picocli's usage errors). */
    public static final int USAGE = 2;
    /** No runner runs where the command looked. */
    public static final int NO_RUNNER = 3;
    /** No process, namespace or selector matches the name given. */
    public static final int NOT_FOUND = 4;
    /** Stopped, but some process had to be killed at its stop timeout. */
    public static final int NOT_GRACEFUL = 5;
    /** The runner refused the token. */
    public static final int UNAUTHORIZED = 6;
    /** A runner already runs in that state directory. */
    public static final int ALREADY_RUNNING = 7;
    /** Stopped by a second Ctrl-C, without waiting for the processes (128 + SIGINT). */
    public static final int FORCED = 130;

    private ExitCodes() {
    }
}
