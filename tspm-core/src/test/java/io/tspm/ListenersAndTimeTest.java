package io.tspm;

import static io.tspm.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.ProcessReady;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import io.tspm.testing.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

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
