package io.tspm.event;

import java.time.Instant;

/** The instance entered RUNNING: spawned, and its readiness gate passed. */
public record ProcessReady(Instant time, String process, int instanceId, long pid) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.RUNNING;
    }
}
