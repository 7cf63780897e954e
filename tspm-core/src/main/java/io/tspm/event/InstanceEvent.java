package io.tspm.event;

/** An event about one instance of a process. */
public sealed interface InstanceEvent extends SupervisorEvent
        permits TransitionEvent, ProcessSpawned, HealthChanged, MemoryLimitWarning, MemoryLimitExceeded,
        InstanceReplaced, InstanceEjected, InstanceReturned, HookFailed {

    /** The instance's id, 0..instances-1; it stays the same across the instance's restarts. */
    int instanceId();
}
