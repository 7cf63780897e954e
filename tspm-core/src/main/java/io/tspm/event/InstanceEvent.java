package io.tspm.event;

/** An event about one instance of a process. */
public sealed interface InstanceEvent extends SupervisorEvent
        permits TransitionEvent, ProcessSpawned, HealthChanged, MemoryLimitExceeded, InstanceReplaced {

    int instanceId();
}
