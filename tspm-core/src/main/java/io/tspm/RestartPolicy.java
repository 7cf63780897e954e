package io.tspm;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When and how soon an instance that exited on its own is started again, and when to give up.
 * Immutable; build one with {@link #builder()}, or take {@link #defaults()} or {@link #never()}.
 *
 * <ul>
 *   <li><b>When</b>: {@link RestartMode}; the success exit codes (default 0) decide
 *       {@code ON_FAILURE}. An exit the supervisor asked for (stop, restart) is never restarted, and
 *       a death by a signal the supervisor sent is not a failure; any other death by signal is.</li>
 *   <li><b>Delay</b>: {@code initialDelay * multiplier^k} for the k-th consecutive failure, capped at
 *       {@code maxDelay}, then spread by {@code jitter} (a fraction: 0.2 is +/-20%) and kept within
 *       {@code initialDelay .. maxDelay}, so a jittered delay is never shorter than the first one
 *       nor longer than the maximum. Multiplier 1 is a fixed delay.</li>
 *   <li><b>Min uptime</b>: a run that lasted at least this long was healthy; the next delay starts
 *       again from {@code initialDelay}.</li>
 *   <li><b>Crash-loop limit</b>: at most {@code maxRestarts} restarts inside any sliding window of
 *       {@code window} (OTP's intensity and period), counted at all times, not only after a manual
 *       start. An exit that would exceed it moves the instance to FAILED, where it stays until the
 *       user starts it again.</li>
 * </ul>
 *
 * Defaults: ON_FAILURE, exit code 0, 100 ms doubling to at most 30 s, jitter 0.1, min uptime
 * 10 s, at most 5 restarts per minute.
 */
public final class RestartPolicy {

    private static final RestartPolicy DEFAULTS = new Builder().build();
    private static final RestartPolicy NEVER = new Builder().mode(RestartMode.NEVER).build();

    private final RestartMode mode;
    private final Set<Integer> successExitCodes;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final double jitter;
    private final Duration minUptime;
    private final int maxRestarts;
    private final Duration window;

    private RestartPolicy(Builder b) {
        this.mode = b.mode;
        this.successExitCodes = Set.copyOf(b.successExitCodes);
        this.initialDelay = b.initialDelay;
        this.multiplier = b.multiplier;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.minUptime = b.minUptime;
        this.maxRestarts = b.maxRestarts;
        this.window = b.window;
    }

    /** ON_FAILURE, exit code 0, 100 ms x2 up to 30 s, jitter 0.1, min uptime 10 s, 5 restarts per minute. */
    public static RestartPolicy defaults() {
        return DEFAULTS;
    }

    /** Never restart. */
    public static RestartPolicy never() {
        return NEVER;
    }

    /** A builder that starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.successExitCodes = new TreeSet<>(successExitCodes);
        b.initialDelay = initialDelay;
        b.multiplier = multiplier;
        b.maxDelay = maxDelay;
        b.jitter = jitter;
        b.minUptime = minUptime;
        b.maxRestarts = maxRestarts;
        b.window = window;
        return b;
    }

    /** When an exit is followed by a restart. */
    public RestartMode mode() {
        return mode;
    }

    /** Exit values that count as a clean exit under {@link RestartMode#ON_FAILURE}. */
    public Set<Integer> successExitCodes() {
        return successExitCodes;
    }

    /** The delay before the first restart of a failing streak. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** What each consecutive failure multiplies the delay by; 1 is a fixed delay. */
    public double multiplier() {
        return multiplier;
    }

    /** The longest delay, jitter included. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The fraction each delay is spread by, either way: 0.1 is +/-10%. */
    public double jitter() {
        return jitter;
    }

    /** A run at least this long was healthy: the next failure's delay starts again from {@link #initialDelay()}. */
    public Duration minUptime() {
        return minUptime;
    }

    /** The most restarts allowed inside any {@link #window()}; {@link Integer#MAX_VALUE} for no limit. */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** The sliding window {@link #maxRestarts()} counts restarts in. */
    public Duration window() {
        return window;
    }

    /**
     * Whether an exit the supervisor did not ask for should be followed by a restart.
     *
     * @param signalledBySupervisor whether the process died of a signal the supervisor sent
     */
    public boolean shouldRestart(ExitStatus status, boolean signalledBySupervisor) {
        Objects.requireNonNull(status, "status");
        switch (mode) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            case ON_FAILURE:
                return !signalledBySupervisor && !successExitCodes.contains(status.exitValue());
            default:
                throw new AssertionError(mode);
        }
    }

    /** {@link #shouldRestart(ExitStatus, boolean)} for an exit the supervisor did not signal. */
    public boolean shouldRestart(ExitStatus status) {
        return shouldRestart(status, false);
    }

    /**
     * The delay before restart number {@code consecutiveFailures + 1} of a failing streak, before
     * jitter: {@code initialDelay * multiplier^consecutiveFailures}, capped at {@code maxDelay}.
     */
    public Duration backoff(int consecutiveFailures) {
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, consecutiveFailures));
        long max = maxDelay.toNanos();
        return Duration.ofNanos(nanos >= max || Double.isNaN(nanos) ? max : (long) nanos);
    }

    /**
     * Spreads {@code delay} by the jitter: {@code random} in [0,1) maps onto
     * {@code delay * (1 - jitter .. 1 + jitter)}, kept within {@code initialDelay .. maxDelay}
     * (a minimum restart delay is a minimum, whatever the jitter).
     */
    public Duration jittered(Duration delay, double random) {
        if (jitter == 0) {
            return delay;
        }
        double factor = 1 + jitter * (2 * random - 1);
        long nanos = (long) (delay.toNanos() * factor);
        long floor = Math.min(initialDelay.toNanos(), delay.toNanos()); // a delay given below it stays as given
        return Duration.ofNanos(Math.max(floor, Math.min(nanos, maxDelay.toNanos())));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RestartPolicy)) {
            return false;
        }
        RestartPolicy p = (RestartPolicy) o;
        return p.mode == mode && p.successExitCodes.equals(successExitCodes) && p.initialDelay.equals(initialDelay)
                && Double.compare(p.multiplier, multiplier) == 0 && p.maxDelay.equals(maxDelay)
                && Double.compare(p.jitter, jitter) == 0 && p.minUptime.equals(minUptime)
                && p.maxRestarts == maxRestarts && p.window.equals(window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, successExitCodes, initialDelay, multiplier, maxDelay, jitter, minUptime, maxRestarts,
                window);
    }

    @Override
    public String toString() {
        return "RestartPolicy{mode=" + mode + ", successExitCodes=" + new TreeSet<>(successExitCodes)
                + ", initialDelay=" + Human.duration(initialDelay) + ", multiplier=" + multiplier
                + ", maxDelay=" + Human.duration(maxDelay) + ", jitter=" + jitter
                + ", minUptime=" + Human.duration(minUptime) + ", maxRestarts="
                + (maxRestarts == Integer.MAX_VALUE ? "unlimited" : maxRestarts + " per " + Human.duration(window))
                + '}';
    }

    /** Builds a {@link RestartPolicy}; each setter checks its value, {@link #build()} how they combine. */
    public static final class Builder {
        private RestartMode mode = RestartMode.ON_FAILURE;
        private TreeSet<Integer> successExitCodes = new TreeSet<>(Set.of(0));
        private Duration initialDelay = Duration.ofMillis(100);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofSeconds(30);
        private double jitter = 0.1;
        private Duration minUptime = Duration.ofSeconds(10);
        private int maxRestarts = 5;
        private Duration window = Duration.ofMinutes(1);

        Builder() {
        }

        /** When to restart (default {@link RestartMode#ON_FAILURE}). */
        public Builder mode(RestartMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Replaces the success exit codes; each must be in 0..255. */
        public Builder successExitCodes(int... codes) {
            Objects.requireNonNull(codes, "successExitCodes");
            TreeSet<Integer> set = new TreeSet<>();
            for (int c : codes) {
                if (c < 0 || c > 255) {
                    throw new IllegalArgumentException(
                            "successExitCodes must be in 0..255, but was " + c + " in " + Arrays.toString(codes));
                }
                set.add(c);
            }
            this.successExitCodes = set;
            return this;
        }

        /** The delay before the first restart of a failing streak (default 100 ms; zero is at once). */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = Durations.nonNegative("initialDelay", delay);
            return this;
        }

        /** How much each consecutive failure multiplies the delay (default 2; 1 is a fixed delay). */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, but was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** The longest delay, jitter included (default 30 s). */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = Durations.nonNegative("maxDelay", delay);
            return this;
        }

        /** A fixed delay: initial and maximum delay {@code delay}, multiplier 1, no jitter. */
        public Builder fixedDelay(Duration delay) {
            Duration d = Durations.nonNegative("fixedDelay", delay);
            this.initialDelay = d;
            this.maxDelay = d;
            this.multiplier = 1;
            this.jitter = 0;
            return this;
        }

        /** Spreads each delay by +/- this fraction, in [0, 1] (default 0.1); never past maxDelay. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be in [0, 1], but was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** A run at least this long was healthy and resets the backoff (default 10 s). */
        public Builder minUptime(Duration minUptime) {
            this.minUptime = Durations.nonNegative("minUptime", minUptime);
            return this;
        }

        /**
         * Gives up (FAILED) when an exit would make more than {@code maxRestarts} restarts inside any
         * sliding window of {@code window} (default 5 per minute). 0 gives up at the first failure.
         */
        public Builder maxRestarts(int maxRestarts, Duration window) {
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be >= 0, but was " + maxRestarts);
            }
            this.window = Durations.positive("window", window);
            this.maxRestarts = maxRestarts;
            return this;
        }

        /** Never gives up: no crash-loop limit. */
        public Builder unlimitedRestarts() {
            this.maxRestarts = Integer.MAX_VALUE;
            return this;
        }

        /** Builds the policy; {@code maxDelay} must be at least {@code initialDelay}. */
        public RestartPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalStateException("maxDelay (" + Human.duration(maxDelay)
                        + ") must be >= initialDelay (" + Human.duration(initialDelay) + ")");
            }
            return new RestartPolicy(this);
        }
    }
}
