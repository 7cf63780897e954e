package io.tspm.internal;

import io.tspm.ExitStatus;
import io.tspm.Human;
import io.tspm.RestartDecision;
import io.tspm.Signal;
import java.time.Duration;

/**
 * What an exit the supervisor did not ask for means: whether it was asked for after all (a signal
 * sent through {@code signal()}), why a start under way fails, and what the restart policy decides,
 * with the reason a person reads. Called under the instance's lock.
 *
 * @param signalled   it died of the signal sent through {@code signal()}: asked for, not a failure
 * @param startFailure why a start waiting on this process fails; null when it had become ready
 * @param decision    what follows, with its delay
 * @param reason      the reason for the exit record (and for FAILED), or null
 */
record ExitJudgement(boolean signalled, String startFailure, RestartPlanner.Decision decision, String reason) {

    /**
     * @param wasReady       whether the process had become ready (RUNNING)
     * @param killedFor      why the supervisor killed it (a failed probe, the memory limit), or null
     * @param signalSent     the signal last sent through {@code signal()}, or null
     * @param member         whether the instance holds its slot (a reload's pending replacement or an
     *                       instance let go is never restarted, nor does its exit restart siblings)
     */
    static ExitJudgement of(ExitStatus status, Duration uptime, boolean wasReady, String killedFor, Signal signalSent,
            boolean member, RestartPlanner planner, ExitHistory history, long nowNanos) {
        // A kill for a failed probe is a failure, though the supervisor sent the signal.
        boolean signalled = killedFor == null && signalSent != null && status.signal().orElse(null) == signalSent;
        // A death by a signal sent through signal() was asked for: one rule whether it was ready or not.
        String failedStart = wasReady ? null
                : signalled ? "ended by " + signalSent + ", sent through signal(), before it was ready"
                : "exited before it was ready (" + status + " after " + Human.duration(uptime) + ")";
        RestartPlanner.Decision d = member
                ? planner.onExit(status, uptime, signalled, wasReady || signalled, killedFor != null, nowNanos)
                : new RestartPlanner.Decision(RestartDecision.STAY_EXITED, Duration.ZERO, null);
        String why = killedFor != null ? killedFor : signalled ? null : failedStart;
        String reason = d.kind() == RestartDecision.GIVE_UP
                ? d.reason() + (why != null ? " (this time: " + why + ")" : "") + "; last exits: "
                        + history.describeLast(status, uptime, 4)
                : why;
        String startFailure = failedStart == null ? null : killedFor != null ? killedFor : failedStart;
        return new ExitJudgement(signalled, startFailure, d, reason);
    }
}
