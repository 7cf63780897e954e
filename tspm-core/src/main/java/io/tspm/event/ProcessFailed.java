package io.tspm.event;

import java.time.Instant;

/** The instance entered FAILED and stays there until the user starts it again; {@code reason} says why. */
public record ProcessFailed(Instant time, String process, int instanceId, String reason) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.FAILED;
    }
}
