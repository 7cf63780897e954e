package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.ProcessFailed;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessSpawned;
import io.tspm.event.ProcessStopped;
import io.tspm.event.SupervisorEvent;
import io.tspm.testsupport.EventRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Restart policy and group strategies end to end, with real processes and real time. */
class RestartBehaviourTest {

    private final EventRecorder events = new EventRecorder();

    private static RestartPolicy fast(int maxRestarts) {
        return RestartPolicy.builder().fixedDelay(Duration.ofMillis(20)).maxRestarts(maxRestarts, Duration.ofMinutes(1))
                .build();
    }

    @Test
    void aScriptThatExitsAtOnceIsGivenUpOnAfterTheLimitWithTheRightNumberOfSpawns() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("crash", p -> p.shell("echo \"attempt $$\"; exit 1").restartPolicy(fast(3)))
                .build()) {
            s.startAsync();
            await().until(() -> s.describe("crash").get(0).state() == InstanceState.FAILED);
            InstanceSnapshot snap = s.describe("crash").get(0);
            assertThat(snap.failureReason()).get().asString()
                    .contains("crash loop: 3 restarts within 1 min reached the limit of 3 per 1 min")
                    .contains("last exits: exit code 1 after");
            assertThat(snap.crashStats().crashes()).isEqualTo(4);
            assertThat(snap.crashStats().lastCrash()).isPresent();
            List<ExitRecord> history = s.group("crash").instance(0).exitHistory();
            assertThat(history).hasSize(4).allSatisfy(r -> assertThat(r.requested()).isFalse());
            assertThat(history.subList(0, 3)).allSatisfy(r -> {
                assertThat(r.decision()).isEqualTo(RestartDecision.RESTART);
                assertThat(r.reason()).get().asString().startsWith("exited before it was ready (exit code 1 after");
            });
            assertThat(history.get(3).decision()).isEqualTo(RestartDecision.GIVE_UP);
            assertThat(history.get(3).reason()).isEqualTo(snap.failureReason());
            // Each record holds the lines of its own run only.
            await().until(() -> s.group("crash").instance(0).exitHistory().stream()
                    .allMatch(r -> r.lastOutput().equals(List.of("attempt " + r.pid()))));
        }
        assertThat(events.of(ProcessSpawned.class, "crash")).hasSize(4);
        assertThat(events.of(ProcessFailed.class, "crash")).hasSize(1);
    }

    @Test
    void aDeathBySignalTheSupervisorSentIsNotAFailure() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("s", p -> p.command("sleep", "60").restartPolicy(fast(5))).build()) {
            s.start();
            ProcessInstance i = s.group("s").instance(0);
            assertThat(i.signal(Signal.TERM)).isTrue();
            await().until(() -> i.state() == InstanceState.EXITED);
            ExitRecord r = i.exitHistory().get(0);
            assertThat(r.status().signal()).contains(Signal.TERM);
            assertThat(r.decision()).isEqualTo(RestartDecision.STAY_EXITED);
            assertThat(r.requested()).isTrue();
            assertThat(i.snapshot().crashStats().crashes()).isZero();
        }
    }

    @Test
    void requestedStopsAreInTheHistoryAsRequested() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("s", p -> p.command("sleep", "60").readyAfter(Duration.ZERO)).build()) {
            s.start();
            s.group("s").restart();
            ExitRecord r = s.group("s").instance(0).exitHistory().get(0);
            assertThat(r.requested()).isTrue();
            assertThat(r.decision()).isEqualTo(RestartDecision.REQUESTED);
            assertThat(r.isCrash()).isFalse();
        }
    }

    @Test
    void oneForAllRestartsTheSiblingsOfACrashedInstance() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("cluster", p -> p.command("sleep", "60").instances(3).readyAfter(Duration.ZERO)
                        .restartStrategy(RestartStrategy.ONE_FOR_ALL).restartPolicy(fast(5)))
                .addProcess("bystander", p -> p.command("sleep", "60").readyAfter(Duration.ZERO))
                .build()) {
            s.start();
            Map<Integer, Long> before = pids(s, "cluster");
            long bystander = s.describe("bystander").get(0).pid().getAsLong();
            ProcessHandle.of(before.get(1)).orElseThrow().destroyForcibly();
            await().until(() -> s.describe("cluster").stream().allMatch(i -> i.state() == InstanceState.RUNNING
                    && i.pid().getAsLong() != before.get(i.instanceId())));
            assertThat(s.describe("bystander").get(0).pid()).hasValue(bystander);
            // The siblings were stopped by the supervisor: requested exits, not crashes.
            for (int id : new int[] {0, 2}) {
                ExitRecord r = s.group("cluster").instance(id).exitHistory().get(0);
                assertThat(r.requested()).isTrue();
                assertThat(r.pid()).isEqualTo(before.get(id));
            }
            assertThat(s.group("cluster").instance(1).exitHistory().get(0).decision()).isEqualTo(RestartDecision.RESTART);
        }
    }

    @Test
    void restForOneRestartsTheDependentsAfterTheCrashedProcessInOrder() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("db", p -> p.command("sleep", "60").readyAfter(Duration.ZERO).instances(2)
                        .restartStrategy(RestartStrategy.REST_FOR_ONE)
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ZERO).build()))
                .addProcess("api", p -> p.command("sleep", "60").readyAfter(Duration.ZERO).dependsOn("db"))
                .addProcess("web", p -> p.command("sleep", "60").readyAfter(Duration.ZERO).dependsOn("api"))
                .addProcess("other", p -> p.command("sleep", "60").readyAfter(Duration.ZERO))
                .build()) {
            s.start();
            s.group("db").instance(1).stop(); // the user's choice: REST_FOR_ONE must leave it stopped
            long db = s.describe("db").get(0).pid().getAsLong();
            long api = s.describe("api").get(0).pid().getAsLong();
            long web = s.describe("web").get(0).pid().getAsLong();
            long other = s.describe("other").get(0).pid().getAsLong();
            await().until(() -> events.of(ProcessReady.class).size() == 5 && events.of(ProcessStopped.class).size() == 1);
            int mark = events.all().size();
            ProcessHandle.of(db).orElseThrow().destroyForcibly();
            await().until(() -> s.describe("web").get(0).state() == InstanceState.RUNNING
                    && s.describe("web").get(0).pid().getAsLong() != web);
            assertThat(s.describe("db").get(1).state()).isEqualTo(InstanceState.STOPPED);
            assertThat(s.describe("api").get(0).pid().getAsLong()).isNotEqualTo(api);
            assertThat(s.describe("other").get(0).pid()).hasValue(other);

            // Events reach listeners on their own thread: the state above may be ahead of them.
            java.util.function.Supplier<List<String>> after = () -> events.all().subList(mark, events.all().size())
                    .stream().filter(e -> e instanceof ProcessStopped || e instanceof ProcessReady)
                    .map(e -> e.getClass().getSimpleName().replace("Process", "") + ":" + e.process())
                    .collect(Collectors.toList());
            await().until(() -> after.get().size() >= 5);
            assertThat(after.get()).containsExactly("Stopped:web", "Stopped:api", "Ready:db", "Ready:api", "Ready:web");
        }
    }

    @Test
    void restForOneLeavesDependentsStoppedWhenTheCrashedProcessIsGivenUpOn() throws Exception {
        java.nio.file.Path flag = java.nio.file.Files.createTempFile("tspm-db", ".flag");
        try (Supervisor s = Supervisor.builder()
                // db runs until the flag file is gone, then can never start again (exits at once).
                .addProcess("db", p -> p.shell("while [ -f " + flag + " ]; do sleep 0.02; done; exit 1")
                        .restartStrategy(RestartStrategy.REST_FOR_ONE).restartPolicy(fast(2)))
                .addProcess("api", p -> p.command("sleep", "60").dependsOn("db"))
                .build()) {
            s.start();
            java.nio.file.Files.delete(flag);
            await().until(() -> s.describe("db").get(0).state() == InstanceState.FAILED);
            await().until(() -> s.describe("api").get(0).state() == InstanceState.STOPPED);
            // ...and stays so: nothing brings it back while db is given up on.
            io.tspm.testsupport.Await.within(Duration.ofSeconds(5)).during(Duration.ofMillis(500))
                    .until(() -> s.describe("api").get(0).state() == InstanceState.STOPPED);
            assertThat(s.describe("api").get(0).pid()).isEmpty();
        } finally {
            java.nio.file.Files.deleteIfExists(flag);
        }
    }

    @Test
    void aRollingRestartTakesOneInstanceAtATimeAndLeavesStoppedOnesAlone() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("pool", p -> p.command("sleep", "60").instances(4).readyAfter(Duration.ofMillis(50)))
                .build()) {
            s.start();
            s.group("pool").instance(3).stop();
            Map<Integer, Long> before = s.describe("pool").stream().filter(i -> i.pid().isPresent())
                    .collect(Collectors.toMap(InstanceSnapshot::instanceId, i -> i.pid().getAsLong()));
            await().until(() -> events.of(ProcessReady.class, "pool").size() == 4
                    && events.of(ProcessStopped.class, "pool").size() == 1);
            int mark = events.all().size();
            s.group("pool").rollingRestart();
            await().until(() -> events.of(ProcessReady.class, "pool").size() == 7);
            List<String> seq = events.all().subList(mark, events.all().size()).stream()
                    .filter(e -> e instanceof io.tspm.event.ProcessStopping || e instanceof ProcessReady)
                    .map(e -> e.getClass().getSimpleName().replace("Process", "") + ":"
                            + ((io.tspm.event.InstanceEvent) e).instanceId())
                    .collect(Collectors.toList());
            // One at a time: each is ready again before the next one is stopped.
            assertThat(seq).containsExactly("Stopping:0", "Ready:0", "Stopping:1", "Ready:1", "Stopping:2", "Ready:2");
            for (int id = 0; id < 3; id++) {
                assertThat(s.describe("pool").get(id).pid().getAsLong()).isNotEqualTo(before.get(id));
            }
            assertThat(s.describe("pool").get(3).state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    private static Map<Integer, Long> pids(Supervisor s, String name) {
        return s.describe(name).stream().collect(Collectors.toMap(InstanceSnapshot::instanceId, i -> i.pid().getAsLong()));
    }

}
