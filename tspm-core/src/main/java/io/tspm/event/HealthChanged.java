package io.tspm.event;

import java.time.Instant;

/**
 * A running instance's readiness changed (its readiness probe crossed a threshold): not a state
 * transition, the instance stays RUNNING; load balancing picks only ready instances.
 */
public record HealthChanged(Instant time, String process, int instanceId, String probe, boolean ready,
        String message) implements InstanceEvent {
}
