package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.HookFailed;
import io.tspm.testsupport.EventRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle hooks run as real processes (and Java callbacks) at their moment, bounded by their timeouts. */
class HooksTest {

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("log");
    }

    private List<String> logLines() throws IOException {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    /** A program that notes its start and its TERM in the log, and runs until stopped. */
    private ProcessSpec.Builder noting(String name) {
        return ProcessSpec.builder(name)
                .shell("echo main $TSPM_INSTANCE_ID >> log; trap 'echo term >> log; exit 0' TERM;"
                        + " while :; do sleep 0.05; done")
                .workingDirectory(dir).readyAfter(Duration.ZERO).stopTimeout(Duration.ofSeconds(5));
    }

    @Test
    void preStartRunsBeforeEverySpawnInTheInstancesDirectoryAndEnvironmentAndItsOutputIsMarked() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess(noting("web").basePort(27620).env("GREETING", "hi-{instance}")
                        .preStart(Hook.shell("echo pre $TSPM_INSTANCE_ID $PORT $GREETING >> log; echo migrated")).build())
                .build()) {
            s.start();
            await().until(() -> logLines().size() >= 2);
            assertThat(logLines()).containsExactly("pre 0 27620 hi-0", "main 0");
            s.group("web").instance(0).restart();
            await().until(() -> logLines().size() >= 5);
            assertThat(logLines()).containsExactly("pre 0 27620 hi-0", "main 0", "term", "pre 0 27620 hi-0", "main 0");
            assertThat(s.group("web").instance(0).recentOutput(10)).contains("[preStart] migrated");
        }
    }

    @Test
    void aFailingPreStartFailsTheStartWithItsOutputCountsAsACrashAndTheProgramNeverRuns() throws Exception {
        EventRecorder events = new EventRecorder();
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess(noting("web").restartPolicy(RestartPolicy.builder().maxRestarts(2, Duration.ofMinutes(1))
                                .fixedDelay(Duration.ofMillis(10)).build())
                        .preStart(Hook.shell("echo database not reachable; exit 3")).build())
                .build()) {
            ProcessInstance web = s.group("web").instance(0);
            CompletableFuture<Void> start = web.startAsync(); // not s.start(): that stops what failed to start
            await().until(start::isDone);
            assertThatThrownBy(start::join).hasCauseInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("preStart hook shell 'echo database not reachable; exit 3' of web#0 failed:"
                            + " exit code 3, last line: [preStart] database not reachable");
            await().until(() -> web.state() == InstanceState.FAILED);
            assertThat(web.exitHistory()).hasSize(3).allSatisfy(r -> {
                assertThat(r.status().exitValue()).isEqualTo(3);
                assertThat(r.isCrash()).isTrue();
                assertThat(r.lastOutput()).containsExactly("[preStart] database not reachable");
            });
            assertThat(web.snapshot().failureReason()).get().asString().contains("crash loop");
            assertThat(logLines()).as("the program never ran").isEmpty();
            await().until(() -> events.of(HookFailed.class).size() == 3);
            assertThat(events.of(HookFailed.class).get(0).phase()).isEqualTo(HookPhase.PRE_START);
        }
    }

    @Test
    void aPreStartPastItsTimeoutIsKilledAndFailsTheStart() {
        try (Supervisor s = Supervisor.builder()
                .addProcess(noting("web").restartPolicy(RestartPolicy.never())
                        .preStart(Hook.shell("echo $$ > hook.pid; exec sleep 30").withTimeout(Duration.ofMillis(300))).build())
                .build()) {
            assertThatThrownBy(() -> s.start()).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("did not finish within 300 ms");
            long hookPid = s.group("web").instance(0).exitHistory().get(0).pid();
            assertThat(hookPid).isPositive();
            await().until(() -> ProcessHandle.of(hookPid).isEmpty());
        }
    }

    @Test
    void aStopDuringPreStartCutsTheHookOffAndStops() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess(noting("web").preStart(Hook.shell("echo $$ > hook.pid; exec sleep 30")).build()).build()) {
            ProcessInstance web = s.group("web").instance(0);
            CompletableFuture<Void> start = web.startAsync();
            await().until(() -> Files.exists(dir.resolve("hook.pid")) && Files.readString(dir.resolve("hook.pid")).endsWith("\n"));
            long hookPid = Long.parseLong(Files.readString(dir.resolve("hook.pid")).trim());
            assertThat(web.stop()).isEqualTo(StopOutcome.NOT_RUNNING);
            assertThat(web.state()).isEqualTo(InstanceState.STOPPED);
            await().until(() -> ProcessHandle.of(hookPid).isEmpty());
            await().until(start::isDone);
            assertThat(start).isCompletedExceptionally();
            assertThat(logLines()).isEmpty();
        }
    }

    @Test
    void postStartRunsOnceReadyWithTheInstancesContextAndItsFailureIsAnEventNotAStop() {
        EventRecorder events = new EventRecorder();
        AtomicReference<HookContext> seen = new AtomicReference<>();
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess(noting("web").basePort(27630).postStart(Hook.callback(seen::set)).build())
                .addProcess(noting("api").postStart(Hook.command("false")).build())
                .build()) {
            s.start();
            await().until(() -> seen.get() != null);
            HookContext ctx = seen.get();
            assertThat(ctx.processName()).isEqualTo("web");
            assertThat(ctx.pid()).isEqualTo(s.group("web").instance(0).pid());
            assertThat(ctx.port()).hasValue(27630);
            assertThat(ctx.environment()).containsEntry("PORT", "27630").containsEntry("TSPM_INSTANCE_ID", "0");
            await().until(() -> events.of(HookFailed.class, "api").size() == 1);
            HookFailed failed = events.of(HookFailed.class, "api").get(0);
            assertThat(failed.phase()).isEqualTo(HookPhase.POST_START);
            assertThat(failed.reason()).contains("postStart hook command [false] of api#0 failed: exit code 1");
            assertThat(s.group("api").instance(0).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void preStopRunsBeforeTheSignalAndPostStopAfterTheTreeIsGoneBeforeStopReturns() throws Exception {
        AtomicReference<HookContext> stopping = new AtomicReference<>();
        try (Supervisor s = Supervisor.builder()
                .addProcess(noting("web").preStop(Hook.shell("echo prestop >> log"))
                        .postStop(Hook.callback(ctx -> {
                            stopping.set(ctx);
                            Files.writeString(log(), "poststop\n", java.nio.file.StandardOpenOption.APPEND);
                        })).build())
                .build()) {
            s.start();
            await().until(() -> logLines().size() == 1);
            assertThat(s.group("web").instance(0).stop()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(logLines()).containsExactly("main 0", "prestop", "term", "poststop");
            assertThat(stopping.get().reason()).hasValue("a stop of web#0");
            assertThat(stopping.get().pid()).isEmpty();
        }
    }

    @Test
    void aPreStopThatHangsUsesUpTheStopTimeoutAndNoMore() {
        EventRecorder events = new EventRecorder();
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess(noting("web").stopTimeout(Duration.ofMillis(500)).preStop(Hook.command("sleep", "30")).build())
                .build()) {
            s.start();
            CompletableFuture<StopOutcome> stop = s.group("web").instance(0).stopAsync();
            await().atMost(Duration.ofSeconds(10)).until(stop::isDone);
            assertThat(s.group("web").instance(0).state()).isEqualTo(InstanceState.STOPPED);
            await().until(() -> events.of(HookFailed.class).size() == 1);
            assertThat(events.of(HookFailed.class).get(0).phase()).isEqualTo(HookPhase.PRE_STOP);
        }
    }
}
