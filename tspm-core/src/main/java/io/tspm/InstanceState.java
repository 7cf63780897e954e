package io.tspm;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of one {@link ProcessInstance}. The allowed transitions are the table below; every
 * transition is serialized per instance and emits exactly one event of {@link io.tspm.event}.
 *
 * <pre>
 * from      to         when                                           event
 * STOPPED   STARTING   start()                                        ProcessStarting
 * EXITED    STARTING   start() after an exit that is not restarted    ProcessStarting
 * FAILED    STARTING   start() by the user after a give-up            ProcessStarting
 * BACKOFF   STARTING   the restart delay elapsed, or start()          ProcessStarting
 * STARTING  RUNNING    spawned and the readiness gate passed          ProcessReady
 * STARTING  EXITED     exited before it became ready                  ProcessExited
 * STARTING  FAILED     could not be spawned (no such file, ...)       ProcessFailed
 * STARTING  STOPPING   stop() while starting                          ProcessStopping
 * STARTING  STOPPED    stop() during its preStart hook (no process)   ProcessStopped
 * RUNNING   EXITED     exited without being asked to                  ProcessExited
 * RUNNING   STOPPING   stop()                                         ProcessStopping
 * STOPPING  STOPPED    the process tree is gone                       ProcessStopped
 * EXITED    BACKOFF    the restart policy schedules a restart         RestartScheduled
 * EXITED    FAILED     the restart policy gives up                    ProcessFailed
 * EXITED    STOPPED    stop() of an exited instance                   ProcessStopped
 * BACKOFF   STOPPED    stop() while waiting to restart                ProcessStopped
 * </pre>
 *
 * {@code STOPPED}, {@code EXITED} (exited, not to be restarted) and {@code FAILED} are resting
 * states: nothing happens until the user acts.
 */
public enum InstanceState {
    /** No process, and none wanted until a start: where every instance begins. */
    STOPPED,
    /** Being spawned, or spawned and not yet through its readiness gate (startup and readiness probes). */
    STARTING,
    /** Spawned and through its readiness gate; whether it is ready now is the snapshot's {@code ready}. */
    RUNNING,
    /** The stop signal was sent to its process tree; SIGKILL follows at the stop timeout. */
    STOPPING,
    /** Its process exited on its own; the restart policy decides what follows, or it rests here. */
    EXITED,
    /** Waiting out the restart delay before the next start. */
    BACKOFF,
    /** Could not be spawned, or the restart policy gave up; rests here until the user starts it. */
    FAILED;

    /** The states this one may move to. */
    public Set<InstanceState> next() {
        switch (this) {
            case STOPPED:
                return EnumSet.of(STARTING);
            case STARTING:
                return EnumSet.of(RUNNING, EXITED, FAILED, STOPPING, STOPPED);
            case RUNNING:
                return EnumSet.of(EXITED, STOPPING);
            case STOPPING:
                return EnumSet.of(STOPPED);
            case EXITED:
                return EnumSet.of(STARTING, BACKOFF, FAILED, STOPPED);
            case BACKOFF:
                return EnumSet.of(STARTING, STOPPED);
            case FAILED:
                return EnumSet.of(STARTING);
            default:
                throw new AssertionError(this);
        }
    }

    /** Whether the table allows {@code this -> target}. */
    public boolean canMoveTo(InstanceState target) {
        return Transitions.NEXT[ordinal()].contains(target); // checked on every move: no set made each time
    }

    /** {@link #next()} of every state, by ordinal, made once (an enum's own statics come after its constants). */
    private static final class Transitions {
        static final Set<InstanceState>[] NEXT = table();

        @SuppressWarnings("unchecked")
        private static Set<InstanceState>[] table() {
            InstanceState[] all = values();
            Set<InstanceState>[] next = new Set[all.length];
            for (InstanceState s : all) {
                next[s.ordinal()] = s.next();
            }
            return next;
        }
    }

    /**
     * Whether the instance runs or is on its way to run (STARTING, RUNNING, BACKOFF): it needs no
     * start, and a stop has something to stop.
     */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == BACKOFF;
    }

    /** Whether a live OS process may belong to an instance in this state. */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
