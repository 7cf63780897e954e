package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.ProcessSpawned;
import io.tspm.event.ReloadFailed;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testing.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload's timeout runs on the supervisor's clock: exact, and tested without waiting it out. */
class ManualTimeReloadTest {

    @TempDir
    Path dir;

    private final ManualScheduler time = new ManualScheduler();
    private final EventRecorder events = new EventRecorder();

    /** Advances manual time in small steps while real work (probes, stops) catches up, until done. */
    private void driveUntil(java.util.function.BooleanSupplier done) {
        await().until(() -> {
            time.advance(Duration.ofMillis(50));
            return done.getAsBoolean();
        });
    }

    @Test
    void aReplacementNotReadyWithinTheReloadTimeoutIsGivenUpOnTheSupervisorsClock() throws Exception {
        // Ready only as the first process: the replacement never is.
        Probe firstOnly = Probe.blocking("first process", ctx -> Files.exists(dir.resolve("ready-" + ctx.pid()))
                ? ProbeResult.success("first") : ProbeResult.failure("not the first"));
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time).addListener(events)
                .addProcess("web", p -> p.command("sleep", "60").autostart(false)
                        .readinessProbe(ProbeSettings.builder(firstOnly).period(Duration.ofSeconds(1)).build())
                        .reloadTimeout(Duration.ofSeconds(30)).reloadDrain(Duration.ZERO).stopTimeout(Duration.ofSeconds(1)))
                .build();
        try {
            ProcessGroup web = s.group("web");
            CompletableFuture<Void> started = web.startAsync();
            await().until(() -> web.instance(0).pid().isPresent());
            Files.createFile(dir.resolve("ready-" + web.instance(0).pid().getAsLong()));
            driveUntil(started::isDone);
            assertThat(started).isCompleted();

            CompletableFuture<Void> reload = web.reloadAsync();
            await().until(() -> events.of(ProcessSpawned.class).size() == 2);
            time.advance(Duration.ofSeconds(29));
            assertThat(reload).as("not a moment before the timeout").isNotDone();
            // Not done could also be a timeout that fired and now waits for the replacement's stop.
            assertThat(time.pendingDelays()).as("the reload's timeout is still pending").contains(Duration.ofSeconds(30));
            time.advance(Duration.ofSeconds(1));
            driveUntil(reload::isDone);
            assertThat(reload).isCompletedExceptionally();
            assertThat(events.of(ReloadFailed.class)).singleElement().extracting(ReloadFailed::reason).asString()
                    .contains("the replacement was not ready within 30 s; the old instance keeps serving");
            assertThat(web.instance(0).snapshot().ready()).isTrue();
        } finally {
            time.advanceDuring(s::close, Duration.ofMillis(10));
        }
    }
}
