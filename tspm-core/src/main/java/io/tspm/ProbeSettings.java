package io.tspm;

import io.tspm.spi.Probe;
import java.time.Duration;
import java.util.Objects;

/**
 * A probe and how it is run, with Kubernetes' knobs: an initial delay, a period, a timeout per
 * check, and how many successes or failures in a row change the verdict. Defaults suit local
 * processes: 0 s delay, 1 s period, 1 s timeout, 1 success, 3 failures; a startup probe checks
 * every 100 ms and allows 300 failures (30 s). Startup and liveness probes need a success threshold
 * of 1, as in Kubernetes. While an instance has never been ready, its
 * readiness probe also checks every 100 ms (or its period, if shorter), so {@code start()} returns
 * soon after the process can serve; a probe that learns of a change sooner is checked at once
 * ({@link io.tspm.spi.ProbeContext#checkNow()}: a log-line probe when its line is read).
 */
public final class ProbeSettings {

    private final Probe probe;
    private final Duration initialDelay;
    private final Duration period;
    private final Duration timeout;
    private final int successThreshold;
    private final int failureThreshold;

    private ProbeSettings(Builder b) {
        this.probe = b.probe;
        this.initialDelay = b.initialDelay;
        this.period = b.period;
        this.timeout = b.timeout;
        this.successThreshold = b.successThreshold;
        this.failureThreshold = b.failureThreshold;
    }

    /** Settings for a readiness or liveness probe: 1 s period and timeout, thresholds 1 and 3. */
    public static Builder builder(Probe probe) {
        return new Builder(probe, Duration.ofSeconds(1), 3);
    }

    /**
     * Settings for a startup probe: every 100 ms, 1 s timeout, up to 300 failures (30 s: within
     * the supervisor's default start timeout of 60 s, so the probe's own verdict is what fails it).
     */
    public static Builder startupBuilder(Probe probe) {
        return new Builder(probe, Duration.ofMillis(100), 300);
    }

    public Builder toBuilder() {
        Builder b = new Builder(probe, period, failureThreshold);
        b.initialDelay = initialDelay;
        b.timeout = timeout;
        b.successThreshold = successThreshold;
        return b;
    }

    /** The probe these settings run. */
    public Probe probe() {
        return probe;
    }

    /** How long after the spawn the first check runs. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** Time from the end of one check to the start of the next. */
    public Duration period() {
        return period;
    }

    /** How long one check may take before it is cut off as a failure. */
    public Duration timeout() {
        return timeout;
    }

    /** Successes in a row that make the verdict "passing". */
    public int successThreshold() {
        return successThreshold;
    }

    /** Failures in a row that make the verdict "failing". */
    public int failureThreshold() {
        return failureThreshold;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ProbeSettings)) {
            return false;
        }
        ProbeSettings p = (ProbeSettings) o;
        return probe.equals(p.probe) && initialDelay.equals(p.initialDelay) && period.equals(p.period)
                && timeout.equals(p.timeout) && successThreshold == p.successThreshold
                && failureThreshold == p.failureThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(probe, initialDelay, period, timeout, successThreshold, failureThreshold);
    }

    @Override
    public String toString() {
        return probe.describe() + " {initialDelay=" + Human.duration(initialDelay) + ", period="
                + Human.duration(period) + ", timeout=" + Human.duration(timeout)
                + ", successThreshold=" + successThreshold + ", failureThreshold=" + failureThreshold + '}';
    }

    /** Builds {@link ProbeSettings}; each setter checks its value. */
    public static final class Builder {
        private final Probe probe;
        private Duration initialDelay = Duration.ZERO;
        private Duration period;
        private Duration timeout = Duration.ofSeconds(1);
        private int successThreshold = 1;
        private int failureThreshold;

        Builder(Probe probe, Duration period, int failureThreshold) {
            this.probe = Objects.requireNonNull(probe, "probe");
            this.period = period;
            this.failureThreshold = failureThreshold;
        }

        /** How long after the spawn the first check runs (default 0). */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = Durations.nonNegative("initialDelay", delay);
            return this;
        }

        /**
         * Time between checks, from the end of one to the start of the next (default 1 s; 100 ms for
         * a startup probe).
         */
        public Builder period(Duration period) {
            this.period = Durations.positive("period", period);
            return this;
        }

        /** How long one check may take before it is cut off as a failure (default 1 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.positive("timeout", timeout);
            return this;
        }

        /** Successes in a row that make the verdict "passing" (default 1). */
        public Builder successThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("successThreshold must be >= 1, but was " + n);
            }
            this.successThreshold = n;
            return this;
        }

        /** Failures in a row that make the verdict "failing" (default 3; 300 for a startup probe). */
        public Builder failureThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("failureThreshold must be >= 1, but was " + n);
            }
            this.failureThreshold = n;
            return this;
        }

        public ProbeSettings build() {
            return new ProbeSettings(this);
        }
    }
}
