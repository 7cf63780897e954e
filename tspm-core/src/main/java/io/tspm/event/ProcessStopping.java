package io.tspm.event;

import io.tspm.Signal;
import java.time.Instant;

/** The instance entered STOPPING: {@code signal} was sent to its process tree. */
public record ProcessStopping(Instant time, String process, int instanceId, long pid, Signal signal) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.STOPPING;
    }
}
