package io.tspm;

import java.util.Optional;

/**
 * How an OS process ended: the exit value the JDK reports and, when that value is {@code 128 + n}
 * for a signal we know, the signal.
 *
 * <p>The JDK reports a death by signal {@code n} as exit value {@code 128 + n}, exactly as a shell
 * does, so a program that calls {@code exit(143)} cannot be told from one killed by SIGTERM.
 *
 * @param exitValue the value of {@link Process#exitValue()}
 */
public record ExitStatus(int exitValue) {

    /** The signal that killed the process, if the exit value encodes one. */
    public Optional<Signal> signal() {
        return Optional.ofNullable(Signal.fromExitValue(exitValue));
    }

    /** Whether the process exited with status 0. */
    public boolean isZero() {
        return exitValue == 0;
    }

    @Override
    public String toString() {
        Signal s = Signal.fromExitValue(exitValue);
        return s == null ? "exit code " + exitValue : "killed by " + s + " (exit value " + exitValue + ")";
    }
}
