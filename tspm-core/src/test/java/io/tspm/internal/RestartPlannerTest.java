package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ExitStatus;
import io.tspm.RestartDecision;
import io.tspm.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner on nanos the test hands it: no clock, no sleep. */
class RestartPlannerTest {

    private static final ExitStatus CRASH = new ExitStatus(1);
    private static final long SECOND = 1_000_000_000L;

    private static RestartPolicy policy(int maxRestarts, Duration window) {
        return RestartPolicy.builder().initialDelay(Duration.ofMillis(100)).multiplier(2).maxDelay(Duration.ofSeconds(5))
                .jitter(0).minUptime(Duration.ofSeconds(10)).maxRestarts(maxRestarts, window).build();
    }

    @Test
    void exactDelaySequenceOfAFailingStreak() {
        RestartPlanner planner = new RestartPlanner(policy(100, Duration.ofHours(1)), () -> 0.5);
        List<Long> delays = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 8; i++) {
            RestartPlanner.Decision d = planner.onExit(CRASH, Duration.ofMillis(50), false, true, now);
            assertThat(d.kind()).isEqualTo(RestartDecision.RESTART);
            delays.add(d.delay().toMillis());
            now += d.delay().toNanos() + 50_000_000L;
        }
        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        assertThat(planner.currentBackoff()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void jitteredDelaysStayInsideTheirBounds() {
        RestartPolicy p = RestartPolicy.builder().initialDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(300))
                .jitter(0.5).unlimitedRestarts().build();
        double[] randoms = {0.0, 0.999, 0.0, 0.999, 0.25};
        int[] k = {0};
        RestartPlanner planner = new RestartPlanner(p, () -> randoms[k[0]++ % randoms.length]);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(planner.onExit(CRASH, Duration.ZERO, false, true, i * SECOND).delay().toMillis());
        }
        // 100 -0.5 kept at the initial 100, 200 +~0.5, 400->300 -0.5, 300 +0.5 capped at max, 300 x0.75
        assertThat(delays).containsExactly(100L, 299L, 150L, 300L, 225L);
    }

    @Test
    void aHealthyRunResetsTheBackoff() {
        RestartPlanner planner = new RestartPlanner(policy(100, Duration.ofHours(1)), () -> 0.5);
        assertThat(planner.onExit(CRASH, Duration.ofSeconds(1), false, true, 0).delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(planner.onExit(CRASH, Duration.ofSeconds(1), false, true, 2 * SECOND).delay()).isEqualTo(Duration.ofMillis(200));
        assertThat(planner.onExit(CRASH, Duration.ofSeconds(1), false, true, 4 * SECOND).delay()).isEqualTo(Duration.ofMillis(400));
        // This run lasted min uptime: healthy, so the streak starts over.
        assertThat(planner.onExit(CRASH, Duration.ofSeconds(10), false, true, 20 * SECOND).delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(planner.onExit(CRASH, Duration.ofSeconds(1), false, true, 22 * SECOND).delay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void tenFastCrashesInsideTheWindowAreGivenUpOn() {
        RestartPlanner planner = new RestartPlanner(policy(9, Duration.ofMinutes(1)), () -> 0.5);
        long now = 0;
        for (int i = 0; i < 9; i++) {
            assertThat(planner.onExit(CRASH, Duration.ofMillis(10), false, true, now).kind()).isEqualTo(RestartDecision.RESTART);
            now += SECOND;
        }
        assertThat(planner.restartsInWindow(now)).isEqualTo(9);
        RestartPlanner.Decision tenth = planner.onExit(CRASH, Duration.ofMillis(10), false, true, now);
        assertThat(tenth.kind()).isEqualTo(RestartDecision.GIVE_UP);
        assertThat(tenth.reason()).isEqualTo("crash loop: 9 restarts within 1 min reached the limit of 9 per 1 min");
    }

    @Test
    void aProcessThatCrashesSlowlyForeverIsNeverGivenUpOn() {
        // 5 restarts per minute allowed; it crashes every 13 s, forever (here: 10,000 times).
        RestartPlanner planner = new RestartPlanner(policy(5, Duration.ofMinutes(1)), () -> 0.5);
        for (int i = 0; i < 10_000; i++) {
            RestartPlanner.Decision d = planner.onExit(CRASH, Duration.ofSeconds(13), false, true, i * 13 * SECOND);
            assertThat(d.kind()).as("crash %d", i).isEqualTo(RestartDecision.RESTART);
        }
    }

    @Test
    void theWindowSlides() {
        RestartPlanner planner = new RestartPlanner(policy(3, Duration.ofSeconds(10)), () -> 0.5);
        // Three crashes at 0, 1, 2 s fill the window...
        for (int s = 0; s < 3; s++) {
            assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, s * SECOND).kind()).isEqualTo(RestartDecision.RESTART);
        }
        // ...a fourth at 9.9 s is one too many, but at 10 s the crash at 0 s has left the window.
        RestartPlanner copy = new RestartPlanner(policy(3, Duration.ofSeconds(10)), () -> 0.5);
        for (int s = 0; s < 3; s++) {
            copy.onExit(CRASH, Duration.ZERO, false, true, s * SECOND);
        }
        assertThat(copy.onExit(CRASH, Duration.ZERO, false, true, 9_900_000_000L).kind()).isEqualTo(RestartDecision.GIVE_UP);
        assertThat(planner.restartsInWindow(10 * SECOND)).isEqualTo(2);
        assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, 10 * SECOND).kind()).isEqualTo(RestartDecision.RESTART);
        // Much later (long after a give-up would have happened under PM2's first-window rule) it still counts.
        for (int s = 0; s < 3; s++) {
            planner.onExit(CRASH, Duration.ZERO, false, true, 1000 * SECOND + s * SECOND);
        }
        assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, 1003 * SECOND).kind()).isEqualTo(RestartDecision.GIVE_UP);
    }

    @Test
    void cleanExitsAndSupervisorSignalsAreNotCountedAndResetForgetsTheWindow() {
        RestartPlanner planner = new RestartPlanner(policy(1, Duration.ofMinutes(1)), () -> 0.5);
        assertThat(planner.onExit(new ExitStatus(0), Duration.ZERO, false, true, 0).kind()).isEqualTo(RestartDecision.STAY_EXITED);
        assertThat(planner.onExit(new ExitStatus(143), Duration.ZERO, true, true, 0).kind()).isEqualTo(RestartDecision.STAY_EXITED);
        assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, 0).kind()).isEqualTo(RestartDecision.RESTART);
        assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, SECOND).kind()).isEqualTo(RestartDecision.GIVE_UP);
        planner.reset();
        assertThat(planner.restartsInWindow(SECOND)).isZero();
        assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, 2 * SECOND).kind()).isEqualTo(RestartDecision.RESTART);
    }

    @Test
    void aRunThatNeverBecameReadyIsAFailureAndNeverHealthy() {
        RestartPlanner planner = new RestartPlanner(policy(100, Duration.ofHours(1)), () -> 0.5);
        // Exit code 0 before ready under ON_FAILURE: a failed start, restarted (supervisord's rule).
        assertThat(planner.onExit(new ExitStatus(0), Duration.ofSeconds(1), false, false, 0).kind())
                .isEqualTo(RestartDecision.RESTART);
        // A long startup that never got ready does not reset the backoff, however long it took.
        assertThat(planner.onExit(CRASH, Duration.ofMinutes(5), false, false, 400 * SECOND).delay())
                .isEqualTo(Duration.ofMillis(200));
        assertThat(planner.onExit(CRASH, Duration.ofMinutes(5), false, false, 800 * SECOND).delay())
                .isEqualTo(Duration.ofMillis(400));
        RestartPlanner never = new RestartPlanner(RestartPolicy.never(), () -> 0.5);
        assertThat(never.onExit(CRASH, Duration.ZERO, false, false, 0).kind()).isEqualTo(RestartDecision.STAY_EXITED);
    }

    @Test
    void zeroMaxRestartsGivesUpAtTheFirstFailure() {
        RestartPlanner planner = new RestartPlanner(policy(0, Duration.ofMinutes(1)), () -> 0.5);
        assertThat(planner.onExit(CRASH, Duration.ZERO, false, true, 0).kind()).isEqualTo(RestartDecision.GIVE_UP);
    }
}
