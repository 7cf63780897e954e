package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orderings a user can produce from one or two threads; each once leaked or lost a request. */
class RaceRegressionTest {

    private static Supervisor sleeper(int instances) {
        return Supervisor.builder()
                .addProcess("s", p -> p.command("sleep", "60").instances(instances).readyAfter(java.time.Duration.ZERO))
                .build();
    }

    @Test
    void theLastRequestWins() {
        try (Supervisor s = sleeper(1)) {
            s.start();
            ProcessInstance i = s.group("s").instance(0);
            // stop, start, stop: the start queued behind the first stop is cancelled by the second.
            i.stopAsync();
            CompletableFuture<Void> queued = i.startAsync();
            // The second stop joins the first, which ends sleep with SIGTERM.
            assertThat(i.stop()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
            assertThatThrownBy(queued::join).hasRootCauseInstanceOf(StartCancelledException.class)
                    .hasMessageContaining("cancelled by a later request, which won (the last request wins): a stop of s#0");
            // stop, start: started.
            i.start();
            i.stopAsync();
            i.startAsync().join();
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
            // restart, stop: stopped, and stays so.
            CompletableFuture<Void> restart = i.restartAsync();
            i.stop();
            assertThat(restart).isCompletedExceptionally();
            assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    @Test
    void closeRacingStartsLeavesNothingRunning() throws Exception {
        for (int round = 0; round < 10; round++) {
            Supervisor s = sleeper(3);
            s.start();
            Thread starter = new Thread(() -> {
                for (int k = 0; k < 50; k++) {
                    try {
                        s.group("s").restartAsync();
                        s.group("s").instance(k % 3).startAsync();
                    } catch (RuntimeException closed) {
                        // a closed supervisor may refuse: fine
                    }
                }
            });
            starter.start();
            s.close();
            starter.join();
            for (InstanceSnapshot snap : s.list()) {
                assertThat(snap.pid()).as("round %d: %s", round, snap).isEmpty();
            }
            await().until(() -> ProcessHandle.current().children()
                    .noneMatch(h -> h.isAlive() && h.info().command().orElse("").endsWith("sleep")));
        }
    }

    @Test
    void startAfterCloseFailsAtOnce() throws Exception {
        Supervisor s = sleeper(1);
        ProcessInstance i = s.group("s").instance(0);
        s.close();
        CompletableFuture<Void> f = i.startAsync();
        assertThat(f).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                .withMessageContaining("the supervisor is closed");
        assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void removedProcessRefusesToStart() {
        try (Supervisor s = sleeper(1)) {
            s.start();
            ProcessGroup g = s.group("s");
            s.remove("s");
            assertThatThrownBy(g::start).hasMessageContaining("it was removed");
            assertThat(g.snapshot()).allMatch(i -> i.pid().isEmpty());
        }
    }

    private static void together(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aScaleUpRacingAGroupStartLeavesNoInstanceStopped() {
        for (int round = 0; round < 20; round++) {
            try (Supervisor s = Supervisor.builder()
                    .addProcess("s", p -> p.command("sleep", "60").autostart(false).readyAfter(java.time.Duration.ZERO))
                    .build()) {
                ProcessGroup g = s.group("s");
                java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
                CompletableFuture<?> start = CompletableFuture.runAsync(() -> {
                    together(barrier);
                    g.startAsync();
                });
                CompletableFuture<?> scale = CompletableFuture.runAsync(() -> {
                    together(barrier);
                    g.scaleAsync(3);
                });
                start.join();
                scale.join();
                int r = round;
                await().untilAsserted(() -> assertThat(g.snapshot()).as("round %d", r)
                        .allMatch(i -> i.state() == InstanceState.RUNNING, "RUNNING"));
            }
        }
    }

    @Test
    void aStopRacingARollingRestartIsNeverUndone() {
        for (int round = 0; round < 20; round++) {
            try (Supervisor s = sleeper(1)) {
                s.start();
                ProcessGroup g = s.group("s");
                java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
                CompletableFuture<?> rolling = CompletableFuture.runAsync(() -> {
                    together(barrier);
                    g.rollingRestartAsync();
                });
                CompletableFuture<?> stop = CompletableFuture.runAsync(() -> {
                    together(barrier);
                    g.instance(0).stop();
                });
                rolling.join();
                stop.join();
                int r = round;
                // Whichever came first, the stop is the last word: a restart before it is cancelled, one after skips it.
                await().untilAsserted(() -> assertThat(g.instance(0).state()).as("round %d", r)
                        .isEqualTo(InstanceState.STOPPED));
            }
        }
    }

    /**
     * A start that failed before ready completes only once the process's output is read (here a
     * background child holds the pipe, so up to 200 ms later). The retry that the restart policy
     * starts meanwhile must not take over that failing future: a start asked for during the retry
     * waits for the retry, and succeeds with it.
     */
    @Test
    void aStartDuringTheRetryOfAFailedStartWaitsForTheRetryNotTheFailure(@TempDir Path dir) throws Exception {
        Path once = dir.resolve("failed-once");
        String script = "if [ -e " + once + " ]; then exec sleep 60; fi; touch " + once + "; sleep 1 & exit 1";
        try (Supervisor s = Supervisor.builder()
                .addProcess("flaky", p -> p.shell(script).autostart(false).readyAfter(java.time.Duration.ofMillis(300))
                        .restartPolicy(RestartPolicy.builder().fixedDelay(java.time.Duration.ZERO).build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("flaky").instance(0);
            CompletableFuture<Void> first = i.startAsync();
            // Polled tightly: the window is the 200 ms the failure waits for the output.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (i.snapshot().restarts() < 1) {
                assertThat(System.nanoTime()).as("the first attempt died and was restarted").isLessThan(deadline);
                Thread.sleep(1);
            }
            CompletableFuture<Void> duringRetry = i.startAsync();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("exit code 1");
            duringRetry.get(10, TimeUnit.SECONDS);
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
        }
    }
}
