package io.tspm;

import static io.tspm.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
            assertThat(i.stop()).isIn(StopOutcome.GRACEFUL, StopOutcome.KILLED, StopOutcome.NOT_RUNNING);
            assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
            assertThatThrownBy(queued::join).hasRootCauseInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("cancelled by a later stop");
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
}
