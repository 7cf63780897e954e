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

    /** {@code ProcessStopped[time=..., process=web, instanceId=0, pid=123, outcome=GRACEFUL, exit=exit code 0]}. */
    @Override
    public String toString() {
        return "ProcessStopped[time=" + time + ", process=" + process + ", instanceId=" + instanceId + ", pid="
                + (pid.isPresent() ? Long.toString(pid.getAsLong()) : "none") + ", outcome=" + outcome + ", exit="
                + exit.map(ExitStatus::toString).orElse("none") + "]";
    }
}
