package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.ProcessSpawned;
import io.tspm.event.RestartScheduled;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testing.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine and real children, with time on a manual scheduler and ticker: backoff delays,
 * the crash-loop limit and uptimes are exact, and nothing sleeps. Only the children's own exits
 * are awaited (they are real processes).
 */
class ManualTimeRestartTest {

    @TempDir
    Path dir;

    private final ManualScheduler time = new ManualScheduler();
    private final EventRecorder events = new EventRecorder();

    private Supervisor supervisor(RestartPolicy policy, String shell) {
        return Supervisor.builder().scheduler(time).ticker(time).addListener(events)
                .addProcess("crasher", p -> p.shell(shell).restartPolicy(policy).readyAfter(Duration.ZERO))
                .build();
    }

    private static RestartPolicy policy() {
        return RestartPolicy.builder().initialDelay(Duration.ofSeconds(1)).multiplier(2).maxDelay(Duration.ofSeconds(8))
                .jitter(0).minUptime(Duration.ofSeconds(30)).maxRestarts(3, Duration.ofMinutes(1)).build();
    }

    private void awaitState(Supervisor s, InstanceState state) {
        await().until(() -> s.describe("crasher").get(0).state() == state);
    }

    /** A stop waits on manual time: time moves while the supervisor closes, also after a failed assertion. */
    private void close(Supervisor s) {
        time.advanceDuring(s::close, Duration.ofMillis(10));
    }

    @Test
    void backsOffExactlyAndGivesUpAtTheLimitWithTheRightNumberOfSpawns() {
        Supervisor s = supervisor(policy(), "echo dying; exit 1");
        try {
            s.start();
            for (int restart = 1; restart <= 3; restart++) {
                awaitState(s, InstanceState.BACKOFF);
                Duration expected = Duration.ofSeconds(1L << (restart - 1));
                int n = restart;
                await().until(() -> events.of(RestartScheduled.class).size() == n);
                assertThat(events.of(RestartScheduled.class).get(restart - 1).delay()).isEqualTo(expected);
                // The listener may hear of the restart before its timer is scheduled.
                await().until(() -> time.pendingDelays().contains(expected));
                // Not a nanosecond early...
                time.advance(expected.minusNanos(1));
                assertThat(s.describe("crasher").get(0).state()).isEqualTo(InstanceState.BACKOFF);
                // ...and at once when due.
                time.advance(Duration.ofNanos(1));
                await().until(() -> events.of(ProcessSpawned.class).size() == n + 1);
            }
            awaitState(s, InstanceState.FAILED);
            InstanceSnapshot snap = s.describe("crasher").get(0);
            assertThat(snap.failureReason()).get().asString()
                    .startsWith("crash loop: 3 restarts within 1 min reached the limit of 3 per 1 min; last exits: exit code 1");
            assertThat(snap.crashStats().crashes()).isEqualTo(4);
            assertThat(snap.crashStats().restartsInWindow()).isEqualTo(3);
            assertThat(snap.restarts()).isEqualTo(3);
            assertThat(events.of(ProcessSpawned.class)).hasSize(4);

            List<ExitRecord> history = s.group("crasher").instance(0).exitHistory();
            assertThat(history).extracting(ExitRecord::decision).containsExactly(RestartDecision.RESTART,
                    RestartDecision.RESTART, RestartDecision.RESTART, RestartDecision.GIVE_UP);
            assertThat(history).extracting(r -> r.delay().toSeconds()).containsExactly(1L, 2L, 4L, 0L);
            // Each record holds the lines of its own run only.
            await().until(() -> s.group("crasher").instance(0).exitHistory().stream()
                    .allMatch(r -> r.lastOutput().equals(List.of("dying"))));

            // FAILED stays FAILED: time passing changes nothing.
            time.advance(Duration.ofHours(1));
            assertThat(s.describe("crasher").get(0).state()).isEqualTo(InstanceState.FAILED);
            assertThat(events.of(ProcessSpawned.class)).hasSize(4);
        } finally {
            close(s);
        }
    }

    @Test
    void aUserStartAfterGivingUpStartsAfresh() {
        Supervisor s = supervisor(policy(), "exit 1");
        try {
            s.start();
            for (int restart = 1; restart <= 3; restart++) {
                awaitState(s, InstanceState.BACKOFF);
                time.advance(Duration.ofSeconds(8));
            }
            awaitState(s, InstanceState.FAILED);
            s.group("crasher").start();
            awaitState(s, InstanceState.BACKOFF);
            InstanceSnapshot snap = s.describe("crasher").get(0);
            assertThat(snap.crashStats().restartsInWindow()).isEqualTo(1);
            assertThat(snap.crashStats().currentBackoff()).isEqualTo(Duration.ofSeconds(1));
            assertThat(snap.failureReason()).isEmpty();
        } finally {
            close(s);
        }
    }

    @Test
    void withoutAProbeAnInstanceIsRunningOnceItStayedUpForReadyAfter() {
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time).addListener(events)
                .addProcess("slow", p -> p.command("sleep", "60").readyAfter(Duration.ofSeconds(2)))
                .build();
        try {
            var started = s.startAsync();
            await().until(() -> events.of(ProcessSpawned.class).size() == 1);
            // The listener may hear of the spawn before the ready timer is scheduled.
            await().until(() -> time.pendingDelays().contains(Duration.ofSeconds(2)));
            time.advance(Duration.ofMillis(1999));
            assertThat(s.describe("slow").get(0).state()).isEqualTo(InstanceState.STARTING);
            assertThat(started).isNotDone();
            time.advance(Duration.ofMillis(1));
            assertThat(s.describe("slow").get(0).state()).isEqualTo(InstanceState.RUNNING);
            await().until(started::isDone);
        } finally {
            close(s);
        }
    }

    @Test
    void uptimeAndMeanTimeBetweenFailuresComeFromTheTicker() throws Exception {
        Path go = dir.resolve("go");
        Supervisor s = supervisor(policy(), "while [ ! -f " + go + " ]; do sleep 0.01; done; rm -f " + go + "; exit 3");
        try {
            s.start();
            time.advance(Duration.ofSeconds(3));
            Files.createFile(go);
            awaitState(s, InstanceState.BACKOFF);
            time.advance(Duration.ofSeconds(1)); // the restart
            await().until(() -> events.of(ProcessSpawned.class).size() == 2);
            time.advance(Duration.ofSeconds(5));
            Files.createFile(go);
            awaitState(s, InstanceState.BACKOFF);
            List<ExitRecord> history = s.group("crasher").instance(0).exitHistory();
            assertThat(history).extracting(ExitRecord::uptime).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(5));
            assertThat(history).extracting(r -> r.status().exitValue()).containsOnly(3);
            CrashStats stats = s.describe("crasher").get(0).crashStats();
            assertThat(stats.meanTimeBetweenFailures()).contains(Duration.ofSeconds(4));
            assertThat(stats.lastCrash()).contains(history.get(1).time());
            assertThat(stats.currentBackoff()).isEqualTo(Duration.ofSeconds(2));
        } finally {
            close(s);
        }
        assertThat(events.of(RestartScheduled.class).stream().map(RestartScheduled::attempt).collect(Collectors.toList()))
                .containsExactly(1, 2);
    }
}
