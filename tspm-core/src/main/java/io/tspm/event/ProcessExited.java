package io.tspm.event;

import io.tspm.ExitStatus;
import java.time.Duration;
import java.time.Instant;

/** The instance's OS process exited without being asked to, after {@code uptime}. */
public record ProcessExited(Instant time, String process, int instanceId, long pid, ExitStatus status, Duration uptime) implements TransitionEvent {

    @Override
    public io.tspm.InstanceState state() {
        return io.tspm.InstanceState.EXITED;
    }
}
