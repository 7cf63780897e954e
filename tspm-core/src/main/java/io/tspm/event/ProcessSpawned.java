package io.tspm.event;

import java.time.Instant;

/** An OS process was spawned for the instance (not a transition: the instance is still STARTING). */
public record ProcessSpawned(Instant time, String process, int instanceId, long pid) implements InstanceEvent {

}
