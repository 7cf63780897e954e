package io.tspm.event;

import java.time.Instant;

/** The instance entered STARTING: a spawn of attempt {@code attempt} (1 for the first start) is under way. */
public record ProcessStarting(Instant time, String process, int instanceId, int attempt) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.STARTING;
    }
}
