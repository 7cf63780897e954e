package io.tspm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A process's lifecycle hooks (the seed's preStart and postStart, and their stop twins), each
 * optional. {@code preStart} runs to completion before every spawn of an instance (a failure or
 * timeout fails that start, and counts against the crash-loop limit); {@code postStart} once the
 * instance is ready (a failure is an event and a log line, not a stop); {@code preStop} before
 * the stop signal, inside the stop timeout; {@code postStop} after the whole tree is gone.
 */
public final class Hooks {

    /** No hooks. */
    public static final Hooks NONE = new Builder().build();
    /** The preStart timeout unless the hook sets one. */
    public static final Duration DEFAULT_PRE_START_TIMEOUT = Duration.ofSeconds(30);
    /** The other hooks' timeout unless the hook sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Hook preStart;
    private final Hook postStart;
    private final Hook preStop;
    private final Hook postStop;

    private Hooks(Builder b) {
        this.preStart = b.preStart;
        this.postStart = b.postStart;
        this.preStop = b.preStop;
        this.postStop = b.postStop;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.preStart = preStart;
        b.postStart = postStart;
        b.preStop = preStop;
        b.postStop = postStop;
        return b;
    }

    public Optional<Hook> preStart() {
        return Optional.ofNullable(preStart);
    }

    public Optional<Hook> postStart() {
        return Optional.ofNullable(postStart);
    }

    public Optional<Hook> preStop() {
        return Optional.ofNullable(preStop);
    }

    public Optional<Hook> postStop() {
        return Optional.ofNullable(postStop);
    }

    /** Whether there is no hook at all. */
    public boolean isEmpty() {
        return preStart == null && postStart == null && preStop == null && postStop == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hooks && Objects.equals(((Hooks) o).preStart, preStart)
                && Objects.equals(((Hooks) o).postStart, postStart) && Objects.equals(((Hooks) o).preStop, preStop)
                && Objects.equals(((Hooks) o).postStop, postStop);
    }

    @Override
    public int hashCode() {
        return Objects.hash(preStart, postStart, preStop, postStop);
    }

    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        preStart().ifPresent(h -> set.add("preStart " + h));
        postStart().ifPresent(h -> set.add("postStart " + h));
        preStop().ifPresent(h -> set.add("preStop " + h));
        postStop().ifPresent(h -> set.add("postStop " + h));
        return "Hooks{" + (set.isEmpty() ? "none" : String.join(", ", set)) + "}";
    }

    /** Builds {@link Hooks}. */
    public static final class Builder {
        private Hook preStart;
        private Hook postStart;
        private Hook preStop;
        private Hook postStop;

        Builder() {
        }

        /** Runs to completion before every spawn; a failure or timeout fails that start. */
        public Builder preStart(Hook hook) {
            this.preStart = Objects.requireNonNull(hook, "preStart");
            return this;
        }

        /** Runs once the instance is ready; a failure is an event and a log line. */
        public Builder postStart(Hook hook) {
            this.postStart = Objects.requireNonNull(hook, "postStart");
            return this;
        }

        /** Runs before the stop signal, inside the stop timeout (deregister, drain). */
        public Builder preStop(Hook hook) {
            this.preStop = Objects.requireNonNull(hook, "preStop");
            return this;
        }

        /** Runs after the whole process tree is gone. */
        public Builder postStop(Hook hook) {
            this.postStop = Objects.requireNonNull(hook, "postStop");
            return this;
        }

        public Builder clearPreStart() {
            this.preStart = null;
            return this;
        }

        public Builder clearPostStart() {
            this.postStart = null;
            return this;
        }

        public Builder clearPreStop() {
            this.preStop = null;
            return this;
        }

        public Builder clearPostStop() {
            this.postStop = null;
            return this;
        }

        public Hooks build() {
            return new Hooks(this);
        }
    }
}
