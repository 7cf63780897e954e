package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every blocking call ends: with the work done, or with an exception that says why, thrown here. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingCallsTest {

    private static final Duration SHORT = Duration.ofMillis(400);

    @TempDir
    Path dir;

    /** Ready while the flag file exists. */
    private static Probe flag(Path file) {
        return Probe.blocking("flag " + file.getFileName(), ctx -> Files.exists(file) ? ProbeResult.success("flag is up")
                : ProbeResult.failure("no flag at " + file.getFileName()));
    }

    private static ProbeSettings fast(Probe probe) {
        return ProbeSettings.builder(probe).period(Duration.ofMillis(50)).build();
    }

    private Supervisor.Builder neverReady(boolean stopOnStartFailure) {
        Path flag = dir.resolve("never");
        return Supervisor.builder().startTimeout(Duration.ofSeconds(1)).stopOnStartFailure(stopOnStartFailure)
                .addProcess("web", p -> p.shell("echo booting; exec sleep 60").readinessProbe(fast(flag(flag))));
    }

    /** A SIGKILL from outside: a crash (one sent through signal() would have been asked for). */
    private static void crash(ProcessInstance i) {
        ProcessHandle.of(i.pid().getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The failure names process, probe, its last result and the output, and its trace starts in this test. */
    private static void assertNotReady(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ProcessStartException.class)
                .hasMessageStartingWith("process 'web' instance ")
                .hasMessageContaining("flag never").hasMessageContaining("no flag at never")
                .hasMessageContaining("booting")
                .satisfies(e -> assertThat(e.getStackTrace())
                        .anyMatch(f -> f.getClassName().startsWith(BlockingCallsTest.class.getName())));
    }

    @Test
    void aReadinessProbeThatNeverPassesEndsEveryBlockingCall() {
        try (Supervisor s = neverReady(false).build()) {
            assertNotReady(s::start);
            ProcessGroup web = s.group("web");
            ProcessInstance i = web.instance(0);
            await().until(() -> i.recentOutput(10).contains("booting"));
            assertNotReady(() -> web.start(SHORT));
            assertNotReady(web::start); // the supervisor's start timeout
            assertNotReady(() -> i.start(SHORT));
            assertNotReady(() -> i.awaitReady(SHORT));
            assertNotReady(() -> web.awaitReady(SHORT));
            assertNotReady(() -> s.awaitReady("web", SHORT));
            assertNotReady(() -> web.restart(SHORT));
            assertNotReady(() -> i.restart(SHORT));
            assertNotReady(() -> web.scale(2, SHORT));
            assertThat(web.instances()).hasSize(2);
        }
    }

    @Test
    void aReloadWhoseReplacementNeverGetsReadyEndsTheWait() throws Exception {
        // Ready only as the first process: a replacement never is.
        Probe firstOnly = Probe.blocking("first process", ctx -> Files.exists(dir.resolve("ready-" + ctx.pid()))
                ? ProbeResult.success("first") : ProbeResult.failure("not the first"));
        try (Supervisor s = Supervisor.builder().build()) {
            ProcessGroup web = s.add(ProcessSpec.builder("web").shell("exec sleep 60").autostart(false)
                    .readinessProbe(fast(firstOnly)).reloadDrain(Duration.ZERO).build());
            web.startAsync();
            await().until(() -> web.instance(0).pid().isPresent());
            Files.createFile(dir.resolve("ready-" + web.instance(0).pid().getAsLong()));
            web.start();
            assertThatThrownBy(() -> web.reload(SHORT)).isInstanceOf(TspmException.class)
                    .hasMessageContaining("reload of process 'web' did not finish within 400 ms");
            assertThat(web.instance(0).snapshot().ready()).as("the old one keeps serving").isTrue();
        }
    }

    @Test
    void aRollingRestartThatNeverGetsReadyEndsTheWait() throws Exception {
        Path flag = Files.createFile(dir.resolve("flag"));
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(ProcessSpec.builder("web").shell("echo booting; exec sleep 60").readinessProbe(fast(flag(flag)))
                    .build());
            s.start();
            Files.delete(flag);
            assertThatThrownBy(() -> s.group("web").rollingRestart(SHORT)).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("rolling restart of process 'web' did not finish within 400 ms");
        }
    }

    @Test
    void aReadinessWaitEndsWhenTheInstanceIsStopped() throws Exception {
        Path flag = Files.createFile(dir.resolve("flag"));
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(ProcessSpec.builder("web").shell("exec sleep 60").readinessProbe(fast(flag(flag))).build());
            s.start();
            ProcessInstance i = s.group("web").instance(0);
            Files.delete(flag);
            await().until(() -> !i.snapshot().ready());
            CompletableFuture<Void> waiting = i.awaitReadyAsync();
            assertThat(waiting).isNotDone();
            i.stop();
            assertThat(waiting).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .withMessageContaining("it was stopped");
        }
    }

    @Test
    void aReadinessWaitEndsWhenTheInstanceIsGivenUpOn() {
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(ProcessSpec.builder("web").shell("exec sleep 60").readyAfter(Duration.ZERO)
                    .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(300)).maxRestarts(1, Duration.ofMinutes(1)).build())
                    .build());
            s.start();
            ProcessInstance i = s.group("web").instance(0);
            crash(i);
            await().until(() -> i.state() == InstanceState.BACKOFF);
            CompletableFuture<Void> waiting = i.awaitReadyAsync();
            assertThat(waiting).as("it will restart: waits through the backoff").isNotDone();
            await().until(() -> i.state() == InstanceState.RUNNING);
            assertThat(waiting).succeedsWithin(Duration.ofSeconds(5));

            crash(i); // the second crash in the window: given up on
            await().until(() -> i.state() == InstanceState.FAILED);
            assertThatThrownBy(() -> i.awaitReady(SHORT)).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("crash loop");
        }
    }

    @Test
    void aFailedStartStopsWhatItStarted() {
        try (Supervisor s = Supervisor.builder().startTimeout(Duration.ofSeconds(10))
                .addProcess("good", p -> p.command("sleep", "60").readyAfter(Duration.ZERO))
                .addProcess("bad", p -> p.shell("echo cannot open db >&2; exit 1").dependsOn("good"))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'bad'").hasMessageContaining("cannot open db");
            assertThat(s.list()).as("nothing runs once start() has thrown")
                    .allMatch(i -> i.pid().isEmpty() && !i.state().isActive(), "stopped");
        }
    }

    @Test
    void aFailedStartCanLeaveWhatStartedRunning() {
        try (Supervisor s = Supervisor.builder().stopOnStartFailure(false)
                .addProcess("good", p -> p.command("sleep", "60").readyAfter(Duration.ZERO))
                // Ready only after 5 s: its exit comes first however loaded the machine is.
                .addProcess("bad", p -> p.shell("exit 1").readyAfter(Duration.ofSeconds(5)).dependsOn("good"))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class);
            assertThat(s.group("good").instance(0).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void addIsAllOrNothing() {
        try (Supervisor s = Supervisor.builder().build()) {
            s.start();
            assertThatThrownBy(() -> s.add(ProcessSpec.builder("bad").shell("echo no config >&2; exit 2").build()))
                    .isInstanceOf(ProcessStartException.class).hasMessageContaining("no config");
            assertThat(s.groups()).isEmpty();
            assertThatThrownBy(() -> s.add(ProcessSpec.builder("watcher").command("sleep", "60")
                    .watch(dir.resolve("missing")).build())).hasMessageContaining("missing");
            assertThat(s.groups()).isEmpty();
            s.add(ProcessSpec.builder("bad").command("sleep", "60").build()); // the name is free again
            assertThat(s.group("bad").instance(0).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void aSupervisorWhoseConstructionFailsLeavesNoThreadBehind() {
        Supervisor.Builder b = Supervisor.builder().name("broken-build")
                .addProcess("watcher", p -> p.command("sleep", "60").watch(dir.resolve("missing")));
        assertThatThrownBy(b::build).hasMessageContaining("missing");
        await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("tspm-broken-build-")));
    }

    @Test
    void aSignalWhileStartingFollowsTheRuleOfARunningInstance() {
        Path flag = dir.resolve("never");
        try (Supervisor s = Supervisor.builder()
                .addProcess("starting", p -> p.command("sleep", "60").readinessProbe(fast(flag(flag))))
                .addProcess("running", p -> p.command("sleep", "60").readyAfter(Duration.ZERO))
                .build()) {
            ProcessInstance starting = s.group("starting").instance(0);
            CompletableFuture<Void> start = starting.startAsync();
            s.group("running").start();
            await().until(() -> starting.pid().isPresent());
            for (ProcessInstance i : List.of(starting, s.group("running").instance(0))) {
                assertThat(i.signal(Signal.TERM)).isTrue();
                await().until(() -> i.state() == InstanceState.EXITED);
                ExitRecord exit = i.exitHistory().get(0);
                assertThat(exit.requested()).as("%s", i).isTrue();
                assertThat(exit.decision()).as("%s", i).isEqualTo(RestartDecision.STAY_EXITED);
            }
            assertThat(start).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .withMessageContaining("ended by SIGTERM, sent through signal()");
        }
    }

    @Test
    void aLockOnTheHandlesUsersHoldBlocksNothing() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess("web", p -> p.command("sleep", "60").readyAfter(Duration.ZERO)).build()) {
            s.start();
            ProcessGroup web = s.group("web");
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Void> holding = new CompletableFuture<>();
            Thread holder = new Thread(() -> {
                synchronized (s) {
                    synchronized (web) {
                        holding.complete(null);
                        release.join();
                    }
                }
            });
            holder.start();
            holding.join();
            try {
                assertThat(CompletableFuture.runAsync(() -> {
                    web.restart();
                    s.list();
                    s.stop();
                })).succeedsWithin(Duration.ofSeconds(20));
            } finally {
                release.complete(null);
                holder.join();
            }
        }
    }

    @Test
    void exitHandlingRunsOnTheSupervisorsThreads() {
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(ProcessSpec.builder("crash").shell("exit 3").autostart(false)
                    .restartPolicy(RestartPolicy.builder().mode(RestartMode.NEVER).build()).build());
            for (int round = 0; round < 5; round++) {
                CompletableFuture<String> thread = new CompletableFuture<>();
                s.group("crash").instance(0).startAsync()
                        .whenComplete((x, e) -> thread.complete(Thread.currentThread().getName()));
                assertThat(thread).succeedsWithin(Duration.ofSeconds(10)).asString()
                        .doesNotContain("process reaper");
            }
        }
    }
}
