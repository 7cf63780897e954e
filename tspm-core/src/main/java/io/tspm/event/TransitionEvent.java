package io.tspm.event;

import io.tspm.InstanceState;

/**
 * The one event every state transition of an instance emits; {@link #state()} is the state it
 * entered. See the table in {@link InstanceState}.
 */
public sealed interface TransitionEvent extends InstanceEvent
        permits ProcessStarting, ProcessReady, ProcessExited, RestartScheduled, ProcessStopping, ProcessStopped,
        ProcessFailed {

    /** The state the instance entered. */
    InstanceState state();
}
