package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.HealthChanged;
import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessSpawned;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import io.tspm.testsupport.EventRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenersAndTimeTest {

    @Test
    void listenersAddedAtRunTimeReceiveEventsAndCanBeRemoved() {
        EventRecorder late = new EventRecorder();
        try (Supervisor s = Supervisor.builder()
                .addProcess("a", p -> p.command("sleep", "60").autostart(false))
                .build()) {
            s.addListener(late);
            s.group("a").start();
            await().until(() -> late.of(ProcessReady.class).size() == 1);
            s.removeListener(late);
            s.group("a").restart();
        }
        assertThat(late.of(ProcessReady.class)).hasSize(1);
    }

    @Test
    void aThrowingListenerNeitherBreaksTheEngineNorOtherListeners() {
        EventRecorder good = new EventRecorder();
        SupervisorListener bad = e -> {
            throw new IllegalStateException("listener bug");
        };
        try (Supervisor s = Supervisor.builder().addListener(bad).addListener(good)
                .addProcess("a", p -> p.command("sleep", "60")).build()) {
            s.start();
            s.group("a").restart();
            assertThat(s.describe("a").get(0).state()).isEqualTo(InstanceState.RUNNING);
        }
        assertThat(good.of(ProcessReady.class)).hasSize(2);
    }

    @Test
    void aBlockedListenerHoldsUpNeitherTheEngineNorAWaitForReadiness(@TempDir Path dir) throws Exception {
        Path flag = Files.createFile(dir.resolve("ready"));
        Probe flagExists = ctx -> CompletableFuture.completedFuture(
                Files.exists(flag) ? ProbeResult.success("flag") : ProbeResult.failure("no file " + flag));
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventRecorder seen = new EventRecorder();
        SupervisorListener stuck = e -> {
            seen.onEvent(e);
            if (e instanceof HealthChanged) {
                blocked.countDown();
                try {
                    release.await(); // a listener that blocks until the test lets it go
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (Supervisor s = Supervisor.builder().addListener(stuck)
                .addProcess("web", p -> p.command("sleep", "600")
                        .readinessProbe(ProbeSettings.builder(flagExists).period(Duration.ofMillis(50))
                                .failureThreshold(1).build()))
                .addProcess("crasher", p -> p.shell("exit 3").readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(20)).unlimitedRestarts()
                                .build()))
                .addProcess("other", p -> p.command("sleep", "600").readyAfter(Duration.ZERO))
                .build()) {
            s.start();
            ProcessInstance web = s.group("web").instance(0);
            Files.delete(flag);
            assertThat(blocked.await(20, TimeUnit.SECONDS)).as("the listener got the HealthChanged").isTrue();
            // While it blocks, the crasher keeps producing events and the engine does its work.
            await().until(() -> s.describe("crasher").get(0).restarts() >= 10);
            s.group("other").restart();
            s.group("other").stop();
            assertThat(s.describe("other").get(0).state()).isEqualTo(InstanceState.STOPPED);
            // A wait for readiness ends when the instance is ready, not when the listener returns.
            CompletableFuture<Void> ready = web.awaitReadyAsync();
            Files.createFile(flag);
            ready.get(20, TimeUnit.SECONDS);
            assertThat(web.snapshot().ready()).isTrue();
            release.countDown();
            s.group("crasher").stop();
        } finally {
            release.countDown();
        }
        // Far below the bound of the event buffer: once let go, the listener got every event, in
        // order (each run's exit, but the last one's, which the stop may have ended instead).
        List<Long> spawned = seen.of(ProcessSpawned.class, "crasher").stream().map(ProcessSpawned::pid).toList();
        List<Long> exited = seen.of(ProcessExited.class, "crasher").stream().map(ProcessExited::pid).toList();
        assertThat(spawned).hasSizeGreaterThanOrEqualTo(10);
        assertThat(exited).hasSizeBetween(spawned.size() - 1, spawned.size())
                .isEqualTo(spawned.subList(0, exited.size()));
    }

    @Test
    void eventsCarryTheSupervisorClockAndUptimeComesFromItsTicker() {
        Instant fixed = Instant.parse("2030-01-02T03:04:05Z");
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        EventRecorder events = new EventRecorder();
        try (Supervisor s = Supervisor.builder()
                .clock(Clock.fixed(fixed, ZoneOffset.UTC))
                .ticker(nanos::get)
                .addListener(events)
                .addProcess("a", p -> p.command("sleep", "60")).build()) {
            s.start();
            nanos.addAndGet(Duration.ofMinutes(90).toNanos());
            InstanceSnapshot snap = s.describe("a").get(0);
            assertThat(snap.uptime()).isEqualTo(Duration.ofMinutes(90));
            assertThat(snap.startedAt()).contains(fixed);
        }
        List<SupervisorEvent> all = events.all();
        assertThat(all).isNotEmpty().allSatisfy(e -> assertThat(e.time()).isEqualTo(fixed));
    }

    @Test
    void nicePriorityIsApplied() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("low", p -> p.shell("echo \"niceness=$(nice)\"; sleep 60").nice(7))
                .build()) {
            s.start();
            await().until(() -> s.group("low").instance(0).recentOutput(1).equals(List.of("niceness=7")));
        }
    }

    @Test
    void supervisorDescribesItself() {
        try (Supervisor s = Supervisor.builder().name("svc").addProcess("a", p -> p.command("true").autostart(false))
                .build()) {
            assertThat(s).hasToString("Supervisor{svc, new, processes=[a]}");
        }
    }
}
