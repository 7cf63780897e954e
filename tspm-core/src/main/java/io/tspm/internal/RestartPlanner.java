package io.tspm.internal;

import io.tspm.Human;
import io.tspm.ExitStatus;
import io.tspm.RestartDecision;
import io.tspm.RestartPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.DoubleSupplier;

/**
 * Decides, for one instance, what follows an exit the supervisor did not ask for, by its
 * {@link RestartPolicy}: the backoff of the current failing streak (reset by a run of at least
 * min uptime) and the crash-loop limit over a sliding window of restart times. Pure logic on the
 * nanos it is given, so it is tested without a clock. Not thread-safe: the instance's lock guards it.
 */
final class RestartPlanner {

    /** What to do: {@code delay} for RESTART, {@code reason} for GIVE_UP. */
    record Decision(RestartDecision kind, Duration delay, String reason) {
    }

    private final RestartPolicy policy;
    private final DoubleSupplier random;
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private int streak;
    private Duration currentBackoff = Duration.ZERO;

    /** @param random uniform numbers in [0, 1) for the jitter */
    RestartPlanner(RestartPolicy policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
    }

    /**
     * The decision for an exit at {@code nowNanos} after {@code uptime}; a RESTART is counted in
     * the window at once.
     *
     * @param signalledBySupervisor whether the process died of a signal the supervisor sent
     * @param wasReady whether it ever became ready: a run that never did is a failed start, a
     *                 failure whatever its exit code (supervisord's rule), and never healthy
     */
    Decision onExit(ExitStatus status, Duration uptime, boolean signalledBySupervisor, boolean wasReady,
            long nowNanos) {
        return onExit(status, uptime, signalledBySupervisor, wasReady, false, nowNanos);
    }

    /**
     * @param killedAsFailure the supervisor killed it for a failed probe or the memory limit: a
     *                        failure whatever its exit code, as for a failed start
     */
    Decision onExit(ExitStatus status, Duration uptime, boolean signalledBySupervisor, boolean wasReady,
            boolean killedAsFailure, long nowNanos) {
        boolean failedStart = (!wasReady || killedAsFailure) && policy.mode() != io.tspm.RestartMode.NEVER;
        if (!failedStart && !policy.shouldRestart(status, signalledBySupervisor)) {
            return new Decision(RestartDecision.STAY_EXITED, Duration.ZERO, null);
        }
        if (wasReady && uptime.compareTo(policy.minUptime()) >= 0) {
            streak = 0;
        }
        prune(nowNanos);
        if (restartTimes.size() >= policy.maxRestarts()) {
            currentBackoff = Duration.ZERO;
            return new Decision(RestartDecision.GIVE_UP, Duration.ZERO, "crash loop: " + restartTimes.size()
                    + " restarts within " + Human.duration(policy.window()) + " reached the limit of "
                    + policy.maxRestarts() + " per " + Human.duration(policy.window()));
        }
        Duration delay = policy.jittered(policy.backoff(streak), random.getAsDouble());
        streak++;
        restartTimes.addLast(nowNanos);
        currentBackoff = delay;
        return new Decision(RestartDecision.RESTART, delay, null);
    }

    /** A planner with the same streak and window (for the replacement of a reloaded instance). */
    RestartPlanner copy() {
        RestartPlanner c = new RestartPlanner(policy, random);
        c.restartTimes.addAll(restartTimes);
        c.streak = streak;
        c.currentBackoff = currentBackoff;
        return c;
    }

    /**
     * Counts a restart the supervisor decides outside an exit (a memory-limit reload): false, and
     * nothing counted, when it would exceed the crash-loop limit.
     */
    boolean admitRestart(long nowNanos) {
        prune(nowNanos);
        if (restartTimes.size() >= policy.maxRestarts()) {
            return false;
        }
        restartTimes.addLast(nowNanos);
        return true;
    }

    /** Forgets the streak and the window: the user started the instance again. */
    void reset() {
        streak = 0;
        restartTimes.clear();
        currentBackoff = Duration.ZERO;
    }

    int restartsInWindow(long nowNanos) {
        prune(nowNanos);
        return restartTimes.size();
    }

    Duration currentBackoff() {
        return currentBackoff;
    }

    private void prune(long nowNanos) {
        long window = policy.window().toNanos();
        while (!restartTimes.isEmpty() && nowNanos - restartTimes.peekFirst() >= window) {
            restartTimes.pollFirst();
        }
    }
}
