package io.tspm.healthcheck;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.InstanceState;
import io.tspm.ProbeSettings;
import io.tspm.ProcessInstance;
import io.tspm.Supervisor;
import io.tspm.spi.Probe;
import io.tspm.testsupport.Await;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import io.tspm.testing.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log-line probe passes when its line is read, not at its next check: a real child on manual
 * time, where no period ever elapses, so only the line itself can make the instance ready.
 */
class LogLineReadinessTest {

    @TempDir
    Path dir;

    private final ManualScheduler time = new ManualScheduler();

    /** Counts the checks of the probe it wraps. */
    private static final class Counted implements Probe {
        final Probe probe;
        final AtomicInteger checks = new AtomicInteger();

        Counted(Probe probe) {
            this.probe = probe;
        }

        @Override
        public CompletableFuture<ProbeResult> check(ProbeContext context) {
            checks.incrementAndGet();
            return probe.check(context);
        }

        @Override
        public void spawned(ProbeContext context) {
            probe.spawned(context);
        }

        @Override
        public String describe() {
            return probe.describe();
        }
    }

    /** Stopping polls on the scheduler: drive manual time while close() runs on another thread. */
    private void close(Supervisor s) {
        time.advanceDuring(s::close, Duration.ofMillis(10));
    }

    /** A child that prints its line once the test creates {@code go}. */
    private String printsWhenTold(Path go, String line) {
        return "while [ ! -f '" + go + "' ]; do sleep 0.01; done; echo '" + line + "'; exec sleep 60";
    }

    @Test
    void aLogLineReadinessProbePassesTheMomentItsLineIsPrintedWithoutWaitingForAPeriod() throws Exception {
        Path go = dir.resolve("go");
        Counted probe = new Counted(Probes.logLine("ready to accept connections"));
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time)
                .addProcess("db", p -> p.shell(printsWhenTold(go, "database system is ready to accept connections"))
                        .readinessProbe(ProbeSettings.builder(probe).period(Duration.ofHours(1)).build()))
                .build();
        try {
            ProcessInstance db = s.group("db").instance(0);
            CompletableFuture<Void> started = s.group("db").startAsync();
            long t0 = time.read();
            // The first check runs at once (time does not move) and finds no line yet.
            await().until(() -> {
                time.advance(Duration.ZERO);
                return probe.checks.get() == 1;
            });
            assertThat(db.state()).isEqualTo(InstanceState.STARTING);
            Files.createFile(go);
            await().until(started::isDone);
            assertThat(started).isCompleted();
            assertThat(db.snapshot().ready()).isTrue();
            // The first, and the one the line asked for (which may still be finishing on the probes' thread).
            await().until(() -> probe.checks.get() == 2);
            Await.within(java.time.Duration.ofSeconds(1)).during(java.time.Duration.ofMillis(200))
                    .until(() -> probe.checks.get() == 2); // and no third
            assertThat(time.read()).isEqualTo(t0); // no period, not even the 100 ms of a starting instance, elapsed
        } finally {
            close(s);
        }
    }

    @Test
    void aLogLineStartupProbeWithALongPeriodPassesTheMomentItsLineIsPrinted() throws Exception {
        Path go = dir.resolve("go");
        Counted probe = new Counted(Probes.logLine("Started"));
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time)
                .addProcess("app", p -> p.shell(printsWhenTold(go, "Started in 0.4 s"))
                        .startupProbe(ProbeSettings.startupBuilder(probe).period(Duration.ofMinutes(10)).build()))
                .build();
        try {
            CompletableFuture<Void> started = s.group("app").startAsync();
            long t0 = time.read();
            await().until(() -> {
                time.advance(Duration.ZERO);
                return probe.checks.get() == 1;
            });
            Files.createFile(go);
            await().until(started::isDone);
            assertThat(started).isCompleted();
            assertThat(s.group("app").instance(0).state()).isEqualTo(InstanceState.RUNNING);
            assertThat(time.read()).isEqualTo(t0);
        } finally {
            close(s);
        }
    }

    @Test
    void aFailurePatternFailsTheStartTheMomentItsLineIsPrinted() throws Exception {
        Path go = dir.resolve("go");
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time)
                .addProcess("busy", p -> p.shell(printsWhenTold(go, "bind: Address already in use"))
                        .restartPolicy(io.tspm.RestartPolicy.never())
                        .startupProbe(ProbeSettings.startupBuilder(Probes.logLine("listening").failOn("already in use"))
                                .period(Duration.ofMinutes(10)).build()))
                .build();
        try {
            CompletableFuture<Void> started = s.group("busy").startAsync();
            await().until(() -> {
                time.advance(Duration.ZERO);
                return s.group("busy").instance(0).pid().isPresent();
            });
            time.advance(Duration.ZERO);
            Files.createFile(go);
            // Work the line sets off may be due now on the manual scheduler (no time passes: ZERO).
            await().until(() -> {
                time.advance(Duration.ZERO);
                return started.isDone();
            });
            assertThat(started).isCompletedExceptionally();
            assertThat(started.handle((v, e) -> e.toString()).join()).contains("matches failure pattern /already in use/");
        } finally {
            close(s);
        }
    }
}
