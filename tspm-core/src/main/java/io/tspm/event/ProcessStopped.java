package io.tspm.event;

import io.tspm.ExitStatus;
import io.tspm.StopOutcome;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The instance entered STOPPED; {@code pid} is the process that stopped, {@code outcome} says how
 * its process tree ended, {@code exit} how its own process did (both empty when none was running).
 */
public record ProcessStopped(Instant time, String process, int instanceId, OptionalLong pid, StopOutcome outcome,
        Optional<ExitStatus> exit) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.STOPPED;
    }
}
