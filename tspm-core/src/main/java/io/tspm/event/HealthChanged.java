package io.tspm.event;

import java.time.Instant;

/**
 * A running instance's readiness changed (its readiness probe crossed a threshold, or a failing
 * liveness probe took it out of rotation before its restart): not a state transition, the
 * instance stays RUNNING; load balancing picks only ready instances.
 *
 * @param probe   which probe, in words ({@code "readiness probe tcp 127.0.0.1:{port}"})
 * @param ready   whether the instance may take traffic now
 * @param message the probe's last result, in words
 */
public record HealthChanged(Instant time, String process, int instanceId, String probe, boolean ready,
        String message) implements InstanceEvent {
}
