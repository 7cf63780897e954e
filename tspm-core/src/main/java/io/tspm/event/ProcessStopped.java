package io.tspm.event;

import io.tspm.ExitStatus;
import io.tspm.StopOutcome;
import java.time.Instant;
import java.util.Optional;

/** The instance entered STOPPED; {@code outcome} says how its process tree ended, {@code exit} how its own process did (empty when none was running). */
public record ProcessStopped(Instant time, String process, int instanceId, StopOutcome outcome, Optional<ExitStatus> exit) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.STOPPED;
    }
}
