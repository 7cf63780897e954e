package io.tspm.event;

import java.time.Duration;
import java.time.Instant;

/**
 * The instance takes no traffic for a while: it failed (connects refused or timed out), as the
 * proxy's outlier detection judged; see {@link io.tspm.ProcessInstance#eject}.
 *
 * @param duration  how long at least; it returns once the time is up and it is ready
 * @param ejections how many times it has been ejected, this one included
 * @param reason    why, in words
 */
public record InstanceEjected(Instant time, String process, int instanceId, Duration duration, int ejections,
        String reason) implements InstanceEvent {
}
