package io.tspm.internal;

import io.tspm.ExitStatus;
import io.tspm.RestartPolicy;
import java.time.Duration;

/**
 * Decides, for one instance, what follows an exit the supervisor did not ask for. The seam where
 * backoff, min uptime and the crash-loop window plug in; it sees every exit with its uptime.
 */
final class RestartPlanner {

    /** Restart after {@code delay}, stay exited, or give up with a reason (FAILED). */
    record Decision(boolean restart, Duration delay, String giveUpReason) {

        static Decision restartAfter(Duration delay) {
            return new Decision(true, delay, null);
        }

        static Decision stay() {
            return new Decision(false, Duration.ZERO, null);
        }

        boolean giveUp() {
            return giveUpReason != null;
        }
    }

    private final RestartPolicy policy;

    RestartPlanner(RestartPolicy policy) {
        this.policy = policy;
    }

    Decision onExit(ExitStatus status, Duration uptime) {
        return policy.shouldRestart(status) ? Decision.restartAfter(policy.delay()) : Decision.stay();
    }
}
