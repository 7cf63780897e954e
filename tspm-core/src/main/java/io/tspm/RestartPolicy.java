package io.tspm;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When and how soon an instance that exited on its own is started again. Immutable; build one with
 * {@link #builder()}, or start from {@link #defaults()} or {@link #never()}.
 *
 * <p>An exit the supervisor asked for (stop, restart) is never restarted by the policy. Death by a
 * signal counts as a failure, since its exit value ({@code 128 + n}) is not a success code.
 */
public final class RestartPolicy {

    private static final RestartPolicy DEFAULTS = new Builder().build();
    private static final RestartPolicy NEVER = new Builder().mode(RestartMode.NEVER).build();

    private final RestartMode mode;
    private final Set<Integer> successExitCodes;
    private final Duration delay;

    private RestartPolicy(Builder b) {
        this.mode = b.mode;
        this.successExitCodes = Set.copyOf(b.successExitCodes);
        this.delay = b.delay;
    }

    /** {@link RestartMode#ON_FAILURE}, success exit code 0, a delay of 100 ms. */
    public static RestartPolicy defaults() {
        return DEFAULTS;
    }

    /** Never restart. */
    public static RestartPolicy never() {
        return NEVER;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode;
        b.successExitCodes = new TreeSet<>(successExitCodes);
        b.delay = delay;
        return b;
    }

    public RestartMode mode() {
        return mode;
    }

    /** Exit values that count as a clean exit under {@link RestartMode#ON_FAILURE}. */
    public Set<Integer> successExitCodes() {
        return successExitCodes;
    }

    /** The delay before a restart. */
    public Duration delay() {
        return delay;
    }

    /** Whether an exit the supervisor did not ask for should be followed by a restart. */
    public boolean shouldRestart(ExitStatus status) {
        Objects.requireNonNull(status, "status");
        switch (mode) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            case ON_FAILURE:
                return !successExitCodes.contains(status.exitValue());
            default:
                throw new AssertionError(mode);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestartPolicy
                && ((RestartPolicy) o).mode == mode
                && ((RestartPolicy) o).successExitCodes.equals(successExitCodes)
                && ((RestartPolicy) o).delay.equals(delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, successExitCodes, delay);
    }

    @Override
    public String toString() {
        return "RestartPolicy{mode=" + mode + ", successExitCodes=" + new TreeSet<>(successExitCodes)
                + ", delay=" + delay + '}';
    }

    /** Builds a {@link RestartPolicy}; each setter checks its value. */
    public static final class Builder {
        private RestartMode mode = RestartMode.ON_FAILURE;
        private TreeSet<Integer> successExitCodes = new TreeSet<>(Set.of(0));
        private Duration delay = Duration.ofMillis(100);

        Builder() {
        }

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

        /** The delay before a restart; zero restarts at once. */
        public Builder delay(Duration delay) {
            this.delay = Durations.nonNegative("delay", delay);
            return this;
        }

        public RestartPolicy build() {
            return new RestartPolicy(this);
        }
    }
}
