package io.tspm.event;

import java.time.Duration;
import java.time.Instant;

/** The instance entered BACKOFF: restart number {@code attempt} runs after {@code delay}. */
public record RestartScheduled(Instant time, String process, int instanceId, int attempt, Duration delay) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.BACKOFF;
    }
}
