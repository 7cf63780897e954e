package io.tspm;

import java.time.Duration;
import java.util.Objects;

/**
 * How a process is asked to stop: {@code signal} to its whole tree, then SIGKILL to what is left
 * after {@code timeout}.
 *
 * @param signal  the signal that asks the tree to stop (default SIGTERM)
 * @param timeout how long the stop waits after it before SIGKILL (default 5 s)
 */
public record StopSettings(Signal signal, Duration timeout) {

    /** SIGTERM, then SIGKILL after 5 s. */
    public static final StopSettings DEFAULTS = new StopSettings(Signal.TERM, ProcessSpec.DEFAULT_STOP_TIMEOUT);

    /** Checks both. */
    public StopSettings {
        Objects.requireNonNull(signal, "stopSignal");
        timeout = Durations.nonNegative("stopTimeout", timeout);
    }

    /** These settings with another signal. */
    public StopSettings withSignal(Signal signal) {
        return new StopSettings(signal, timeout);
    }

    /** These settings with another timeout. */
    public StopSettings withTimeout(Duration timeout) {
        return new StopSettings(signal, timeout);
    }

    @Override
    public String toString() {
        return "StopSettings{" + signal + ", then SIGKILL after " + Human.duration(timeout) + "}";
    }
}
