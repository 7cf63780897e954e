package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.MemoryLimitExceeded;
import io.tspm.testsupport.AllocMain;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testing.ManualScheduler;
import io.tspm.testsupport.Scripts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Resource sampling of whole process trees and the memory limit, with real children. */
@EnabledOnOs(OS.LINUX)
class ResourceTest {

    private static final long MIB = 1024 * 1024;
    private final EventRecorder events = new EventRecorder();

    private static String javaCommand(String arg) {
        return String.join(" ", Scripts.java(AllocMain.class, arg)).replace("-Xmx64m", "-Xmx512m");
    }

    @Test
    void aWrapperShellIsSampledWithTheMemoryOfItsGrandchild() {
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofMillis(100))
                .addProcess("wrapper", p -> p.shell(javaCommand("150") + " & wait"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("wrapper").instance(0);
            i.awaitLine("allocated 150 MiB", Duration.ofSeconds(20));
            await().until(() -> i.snapshot().resources().map(r -> r.memoryBytes().orElse(0) > 150 * MIB).orElse(false));
            ResourceUsage r = i.snapshot().resources().orElseThrow();
            assertThat(r.processes()).isGreaterThanOrEqualTo(2); // the shell and the JVM it started
            assertThat(r.threads()).isGreaterThan(2);
            assertThat(r.openFiles()).isPresent();
        }
    }

    @Test
    void aBusyLoopShowsItsCpu() {
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofMillis(200))
                .addProcess("busy", p -> p.shell("while :; do :; done"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("busy").instance(0);
            await().until(() -> i.snapshot().resources().map(r -> r.cpuPercent() > 50).orElse(false));
            double first = i.snapshot().resources().orElseThrow().cpuSeconds();
            await().until(() -> i.snapshot().resources().orElseThrow().cpuSeconds() > first + 0.2);
        }
    }

    @Test
    void cpuOfShortLivedChildrenCountsForTheTree() {
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofMillis(300))
                .addProcess("forker", p -> p.shell("while :; do sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'; done"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("forker").instance(0);
            await().until(() -> i.snapshot().resources().map(u -> u.cpuPercent() > 30).orElse(false));
        }
    }

    @Test
    void aChildOverItsMemoryLimitIsRestartedAndItCountsAsACrash() {
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofMillis(100)).addListener(events)
                .addProcess("leaky", p -> p.command(List.of(javaCommand("grow").split(" ")))
                        .maxMemory(150 * MIB).memoryLimitSamples(2)
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(50)).unlimitedRestarts().build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("leaky").instance(0);
            long first = i.pid().getAsLong();
            await().until(() -> !i.exitHistory().isEmpty());
            ExitRecord r = i.exitHistory().get(0);
            assertThat(r.pid()).isEqualTo(first);
            assertThat(r.reason()).get().asString().matches("memory limit exceeded: \\d+(\\.\\d)? MiB > 150 MiB for 2 samples in a row");
            assertThat(r.isCrash()).isTrue();
            assertThat(r.decision()).isEqualTo(RestartDecision.RESTART);
            await().until(() -> !events.of(MemoryLimitExceeded.class).isEmpty());
            MemoryLimitExceeded e = events.of(MemoryLimitExceeded.class).get(0);
            assertThat(e.memoryBytes()).isGreaterThan(e.limitBytes());
            assertThat(e.limitBytes()).isEqualTo(150 * MIB);
            // Warned first, once, when the tree crossed 80% of the limit, before the limit restarted it.
            List<io.tspm.event.SupervisorEvent> forFirst = events.all().stream()
                    .filter(x -> x instanceof io.tspm.event.MemoryLimitWarning || x instanceof MemoryLimitExceeded)
                    .toList();
            assertThat(forFirst.get(0)).isInstanceOfSatisfying(io.tspm.event.MemoryLimitWarning.class, w -> {
                assertThat(w.memoryBytes()).isGreaterThanOrEqualTo((long) (0.8 * 150 * MIB));
                assertThat(w.ratio()).isEqualTo(0.8);
            });
            assertThat(forFirst.get(1)).isInstanceOf(MemoryLimitExceeded.class);
            await().until(() -> i.state() == InstanceState.RUNNING && i.pid().getAsLong() != first);
        }
    }

    @Test
    void aMemoryLimitCanReplaceTheInstanceByAReload() {
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofMillis(100)).addListener(events)
                .addProcess("leaky", p -> p.command(List.of(javaCommand("grow").split(" ")))
                        .maxMemory(150 * MIB).memoryLimitSamples(2).memoryLimitAction(MemoryLimitAction.RELOAD)
                        .reloadDrain(Duration.ofMillis(50))
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(50)).unlimitedRestarts().build()))
                .build()) {
            s.start();
            long first = s.group("leaky").instance(0).pid().getAsLong();
            // The slot's history (kept across the replacement) shows the old one's exit as a crash.
            await().until(() -> s.group("leaky").instance(0).exitHistory().stream()
                    .anyMatch(r -> r.pid() == first && r.isCrash()));
            ExitRecord r = s.group("leaky").instance(0).exitHistory().stream().filter(x -> x.pid() == first)
                    .findFirst().orElseThrow();
            assertThat(r.reason()).as("%s / %s", s.group("leaky").instance(0).exitHistory(), events.all()).get().asString().contains("memory limit exceeded").contains("replaced by a reload");
            assertThat(r.requested()).isFalse();
            // A replacement runs in the slot (it grows too, so it may itself be replaced later).
            await().until(() -> s.group("leaky").instance(0).pid().orElse(first) != first);
            assertThat(events.of(MemoryLimitExceeded.class)).isNotEmpty();
        }
    }

    @Test
    void samplingStartsNoProcessOnTheSchedulerThread(@TempDir Path dir) throws Exception {
        ManualScheduler time = new ManualScheduler();
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time).sampleInterval(Duration.ofSeconds(1))
                .addProcess("idle", p -> p.command("sleep", "600").readyAfter(Duration.ZERO))
                .build();
        try (Recording recording = new Recording()) {
            s.start();
            recording.enable("jdk.ProcessStart");
            recording.start();
            // The manual scheduler runs what falls due on the thread that moves time: here, the
            // samples' ticks, which hand each pass to the sampling thread.
            ProcessInstance i = s.group("idle").instance(0);
            // Time moves in the wait: the sampling thread schedules its next tick once a pass is done.
            await().untilAsserted(() -> {
                time.advance(Duration.ofSeconds(1));
                assertThat(i.snapshot().resources()).hasValueSatisfying(r -> {
                    assertThat(r.memoryBytes().orElse(0)).isPositive();
                    assertThat(r.threads()).isPositive();
                });
            });
            recording.stop();
            Path file = dir.resolve("process-starts.jfr");
            recording.dump(file);
            long scheduler = Thread.currentThread().getId();
            assertThat(RecordingFile.readAllEvents(file))
                    .filteredOn(e -> e.getThread() != null && e.getThread().getJavaThreadId() == scheduler)
                    .extracting(e -> e.getString("command"))
                    .isEmpty();
        } finally {
            time.advanceDuring(s::close, Duration.ofMillis(10)); // stop timeouts run on the manual scheduler too
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> ProcessSpec.builder("x").maxMemory(1000))
                .hasMessage("maxMemory must be >= 1048576 bytes (1 MiB), but was 1000");
        assertThatThrownBy(() -> ProcessSpec.builder("x").memoryLimitSamples(0))
                .hasMessage("memoryLimitSamples must be in 1..1000, but was 0");
        assertThatThrownBy(() -> Supervisor.builder().sampleInterval(Duration.ofSeconds(-1)))
                .hasMessage("sampleInterval must not be negative, but was -1 s");
    }
}
