package io.tspm.event;

import java.time.Instant;

/** An ejected instance's time is up: it takes traffic again once it is ready. */
public record InstanceReturned(Instant time, String process, int instanceId) implements InstanceEvent {
}
