package io.tspm.event;

import java.time.Instant;

/**
 * Something that happened in a supervisor. Events are immutable and delivered to
 * {@link SupervisorListener}s in the order they happened, on the supervisor's event thread.
 */
public sealed interface SupervisorEvent permits InstanceEvent, ProcessAdded, ProcessRemoved, LogWriteFailed,
        Scaled, ReloadFailed {

    /** When it happened, by the supervisor's clock. */
    Instant time();

    /** The process (group) name it concerns. */
    String process();
}
