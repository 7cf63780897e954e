package io.tspm;

import java.time.Duration;

/**
 * How a rolling reload runs: {@code batch} instances at a time, each replacement given
 * {@code timeout} to be ready, each old instance {@code drain} to finish what it serves.
 *
 * @param batch   instances replaced at a time, 1..10000 (default 1)
 * @param timeout how long a replacement may take to be ready before the reload keeps the old one (default 60 s)
 * @param drain   how long an old instance runs on after its replacement took over (default 1 s)
 */
public record ReloadSettings(int batch, Duration timeout, Duration drain) {

    /** One at a time, 60 s to be ready, 1 s of drain. */
    public static final ReloadSettings DEFAULTS = new ReloadSettings(1, Duration.ofSeconds(60), Duration.ofSeconds(1));

    /** Checks each. */
    public ReloadSettings {
        Checks.range("reloadBatch", batch, 1, InstanceSettings.MAX_INSTANCES);
        timeout = Durations.positive("reloadTimeout", timeout);
        drain = Durations.nonNegative("reloadDrain", drain);
    }

    public ReloadSettings withBatch(int batch) {
        return new ReloadSettings(batch, timeout, drain);
    }

    public ReloadSettings withTimeout(Duration timeout) {
        return new ReloadSettings(batch, timeout, drain);
    }

    public ReloadSettings withDrain(Duration drain) {
        return new ReloadSettings(batch, timeout, drain);
    }

    @Override
    public String toString() {
        return "ReloadSettings{batch=" + batch + ", timeout=" + Human.duration(timeout) + ", drain="
                + Human.duration(drain) + "}";
    }
}
