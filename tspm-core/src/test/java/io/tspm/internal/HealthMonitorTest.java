package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProbeSettings;
import io.tspm.ProcessSpec;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import io.tspm.testing.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delays, periods, thresholds and cut-offs of the probe loops, on a manual scheduler: no sleeping. */
class HealthMonitorTest {

    private final ManualScheduler time = new ManualScheduler();
    private final Engine engine = new Engine("hm", Clock.systemUTC(), time, time, false, false, null, Duration.ZERO);
    private final List<String> verdicts = new ArrayList<>();

    @AfterEach
    void close() {
        engine.close();
    }

    /** Answers from a script ("ok", "fail", "hang"), recording when (ms of manual time) it was asked. */
    private final class Scripted implements Probe {
        final String name;
        final Deque<String> answers;
        final List<Long> askedAt = new ArrayList<>();

        Scripted(String name, String... answers) {
            this.name = name;
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public CompletableFuture<ProbeResult> check(ProbeContext context) {
            askedAt.add(Duration.ofNanos(time.read() - start).toMillis());
            String a = answers.isEmpty() ? "ok" : answers.poll();
            switch (a) {
                case "hang":
                    return new CompletableFuture<>();
                case "fail":
                    return CompletableFuture.completedFuture(ProbeResult.failure(name + " says no"));
                case "fatal":
                    return CompletableFuture.completedFuture(ProbeResult.fatal(name + " says never"));
                default:
                    return CompletableFuture.completedFuture(ProbeResult.success(name + " says yes"));
            }
        }

        @Override
        public String describe() {
            return name;
        }
    }

    private long start;

    private final InstanceOutput output = new InstanceOutput(engine, ProcessSpec.builder("p").command("x").build(), 0);
    /** The context of process 42, as the instance gives it to {@code Probe.spawned}. */
    private final InstanceProbeContext ctx = new InstanceProbeContext(engine, "p", 0, 42, OptionalInt.empty(), Map.of(),
            Duration.ofSeconds(1), output);

    private HealthMonitor monitor(ProbeSettings startup, ProbeSettings readiness, ProbeSettings liveness) {
        start = time.read();
        return new HealthMonitor(engine, Runnable::run, ctx, new HealthMonitor.Verdicts() {
            @Override
            public void startupPassed() {
                verdicts.add(at() + " startup passed");
            }

            @Override
            public void failed(io.tspm.ProbeKind kind, String probe, int failures, ProbeResult last) {
                verdicts.add(at() + " " + kind.label() + " failed x" + failures + ": " + last.message());
            }

            @Override
            public void readinessChanged(boolean ready, String probe, ProbeResult last) {
                verdicts.add(at() + " ready=" + ready);
            }
        }, startup, readiness, liveness);
    }

    private long at() {
        return Duration.ofNanos(time.read() - start).toMillis();
    }

    private static ProbeSettings settings(Probe p, long delayMs, long periodMs, long timeoutMs, int ok, int fail) {
        return ProbeSettings.builder(p).initialDelay(Duration.ofMillis(delayMs)).period(Duration.ofMillis(periodMs))
                .timeout(Duration.ofMillis(timeoutMs)).successThreshold(ok).failureThreshold(fail).build();
    }

    @Test
    void startupGatesTheOthersAndThresholdsCountInARow() {
        Scripted startup = new Scripted("s", "fail", "fail", "ok");
        Scripted readiness = new Scripted("r", "fail", "ok", "ok", "fail", "fail", "fail", "ok", "ok");
        Scripted liveness = new Scripted("l");
        HealthMonitor m = monitor(settings(startup, 500, 100, 50, 1, 10), settings(readiness, 0, 1000, 50, 2, 3),
                settings(liveness, 2000, 1000, 50, 1, 3));
        m.start();
        time.advance(Duration.ofMillis(499));
        assertThat(startup.askedAt).isEmpty();
        time.advance(Duration.ofMillis(201));
        assertThat(startup.askedAt).containsExactly(500L, 600L, 700L);
        assertThat(verdicts).containsExactly("700 startup passed");
        assertThat(readiness.askedAt).containsExactly(700L);
        // Before the first "ready" the readiness probe checks every 100 ms: fail, ok, ok -> ready at 900.
        time.advance(Duration.ofMillis(200));
        assertThat(readiness.askedAt).containsExactly(700L, 800L, 900L);
        assertThat(verdicts).endsWith("900 ready=true");
        m.markReady();
        // Then at its own period (1 s): three failures in a row make it not ready.
        time.advance(Duration.ofMillis(3000));
        assertThat(readiness.askedAt).containsExactly(700L, 800L, 900L, 1900L, 2900L, 3900L);
        assertThat(verdicts).endsWith("3900 ready=false");
        time.advance(Duration.ofMillis(2000));
        assertThat(verdicts).endsWith("5900 ready=true");
        // Liveness started with readiness, after its own initial delay of 2 s.
        assertThat(liveness.askedAt).startsWith(2700L, 3700L);
        m.stop();
        int asked = readiness.askedAt.size();
        time.advance(Duration.ofSeconds(10));
        assertThat(readiness.askedAt).hasSize(asked);
    }

    @Test
    void aWakeUpChecksAtOnceAndCountsAsOneCheckTowardsTheThreshold() {
        Scripted readiness = new Scripted("r", "fail", "ok", "ok");
        HealthMonitor m = monitor(null, settings(readiness, 0, 3_600_000, 50, 2, 3), null);
        m.start();
        time.advance(Duration.ZERO);
        assertThat(readiness.askedAt).containsExactly(0L);
        time.advance(Duration.ofMillis(30));
        ctx.checkNow();
        // Checked at once, not at the 100 ms of a starting instance; one success of the two needed.
        assertThat(readiness.askedAt).containsExactly(0L, 30L);
        assertThat(verdicts).isEmpty();
        // The loop goes on from the woken check: the next one 100 ms after it.
        time.advance(Duration.ofMillis(99));
        assertThat(readiness.askedAt).hasSize(2);
        time.advance(Duration.ofMillis(1));
        assertThat(readiness.askedAt).containsExactly(0L, 30L, 130L);
        assertThat(verdicts).containsExactly("130 ready=true");
        m.stop();
    }

    @Test
    void wakeUpsDuringARunningCheckMakeOneMoreCheckRightAfterIt() {
        List<CompletableFuture<ProbeResult>> answers = new ArrayList<>();
        List<Long> askedAt = new ArrayList<>();
        Probe pending = c -> {
            askedAt.add(at());
            CompletableFuture<ProbeResult> f = new CompletableFuture<>();
            answers.add(f);
            return f;
        };
        HealthMonitor m = monitor(settings(pending, 0, 600_000, 60_000, 1, 100), null, null);
        m.start();
        time.advance(Duration.ofMillis(10));
        ctx.checkNow();
        ctx.checkNow();
        ctx.checkNow();
        assertThat(askedAt).containsExactly(0L);
        time.advance(Duration.ofMillis(10));
        answers.get(0).complete(ProbeResult.failure("not yet"));
        assertThat(askedAt).containsExactly(0L, 20L);
        answers.get(1).complete(ProbeResult.success("now"));
        assertThat(askedAt).hasSize(2);
        assertThat(verdicts).containsExactly("20 startup passed");
        m.stop();
    }

    @Test
    void aWakeUpIsIgnoredBeforeTheInitialDelayAndByLiveness() {
        Scripted startup = new Scripted("s", "fail", "ok");
        Scripted liveness = new Scripted("l");
        HealthMonitor m = monitor(settings(startup, 500, 600_000, 50, 1, 10), null, settings(liveness, 0, 1000, 50, 1, 3));
        m.start();
        time.advance(Duration.ofMillis(100));
        ctx.checkNow();
        assertThat(startup.askedAt).isEmpty();
        time.advance(Duration.ofMillis(400));
        assertThat(startup.askedAt).containsExactly(500L);
        ctx.checkNow();
        assertThat(startup.askedAt).containsExactly(500L, 500L);
        assertThat(verdicts).containsExactly("500 startup passed");
        time.advance(Duration.ofMillis(10));
        assertThat(liveness.askedAt).containsExactly(500L);
        ctx.checkNow();
        ctx.checkNow();
        assertThat(liveness.askedAt).containsExactly(500L); // liveness keeps its period
        time.advance(Duration.ofMillis(1000));
        assertThat(liveness.askedAt).containsExactly(500L, 1500L);
        m.stop();
    }

    @Test
    void theLineThatReachesTheCountAProbeWaitsForChecksItAtOnce() {
        java.util.regex.Pattern started = java.util.regex.Pattern.compile("started");
        List<Long> askedAt = new ArrayList<>();
        Probe twoLines = new Probe() {
            @Override
            public void spawned(ProbeContext c) {
                c.checkNowOnMatch(started, 2);
            }

            @Override
            public CompletableFuture<ProbeResult> check(ProbeContext c) {
                askedAt.add(at());
                long n = c.countMatches(started);
                return CompletableFuture.completedFuture(n >= 2 ? ProbeResult.success("seen " + n)
                        : ProbeResult.failure("seen " + n));
            }
        };
        HealthMonitor m = monitor(null, settings(twoLines, 0, 3_600_000, 50, 1, 3), null);
        twoLines.spawned(ctx);
        m.start();
        time.advance(Duration.ZERO);
        InstanceOutput.Writer out = output.writer(io.tspm.OutputStreamKind.STDOUT, 42);
        time.advance(Duration.ofMillis(20));
        line(out, "worker 1 started");
        line(out, "noise");
        assertThat(askedAt).containsExactly(0L); // one of two: no reason to check yet
        time.advance(Duration.ofMillis(20));
        line(out, "worker 2 started");
        assertThat(askedAt).containsExactly(0L, 40L);
        assertThat(verdicts).containsExactly("40 ready=true");
        line(out, "worker 3 started");
        assertThat(askedAt).hasSize(2); // once, at the count it waited for
        m.stop();
    }

    private static void line(InstanceOutput.Writer out, String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.arrived(); // one read of one line, as a reader hands it on (see the Writer's contract)
        out.line(b, 0, b.length);
        out.endOfRead();
    }

    @Test
    void aCheckThatHangsIsCutOffAtItsTimeoutAsAFailure() {
        Scripted liveness = new Scripted("l", "hang", "hang", "hang");
        HealthMonitor m = monitor(null, null, settings(liveness, 0, 1000, 300, 1, 3));
        m.start();
        time.advance(Duration.ofMillis(0));
        assertThat(liveness.askedAt).containsExactly(0L);
        time.advance(Duration.ofMillis(299));
        assertThat(liveness.askedAt).hasSize(1);
        // Cut off at 300 ms, next check a period after the end of the last: 1300, then 2600.
        time.advance(Duration.ofMillis(3000));
        assertThat(liveness.askedAt).containsExactly(0L, 1300L, 2600L);
        assertThat(verdicts).containsExactly("2900 liveness failed x3: l did not answer within 300 ms");
        time.advance(Duration.ofSeconds(5));
        assertThat(liveness.askedAt).hasSize(3); // a failed liveness verdict ends its loop: the process is killed
        m.stop();
    }

    @Test
    void aCheckCutOffBeforeItHandedOverItsWorkStillHasItsWorkCancelled() {
        CompletableFuture<ProbeResult> work = new CompletableFuture<>();
        Probe slowToStart = new Probe() {
            @Override
            public CompletableFuture<ProbeResult> check(ProbeContext context) {
                time.advance(Duration.ofMillis(400)); // the cut-off (at 300 ms) fires before check() returns
                return work;
            }

            @Override
            public String describe() {
                return "slow";
            }
        };
        HealthMonitor m = monitor(null, null, settings(slowToStart, 0, 1000, 300, 1, 1));
        m.start();
        time.advance(Duration.ZERO);
        assertThat(work).isCancelled();
        assertThat(verdicts).containsExactly("400 liveness failed x1: slow did not answer within 300 ms");
        m.stop();
    }

    @Test
    void stoppingWhileResultsArriveNeverDeadlocks() {
        Engine real = new Engine("hm-real", Clock.systemUTC(), io.tspm.time.Ticker.system(), null, false, false, null,
                Duration.ZERO);
        try {
            ProcessSpec spec = ProcessSpec.builder("p").command("x").build();
            InstanceProbeContext ctx = new InstanceProbeContext(real, "p", 0, 42, OptionalInt.empty(), Map.of(),
                    Duration.ofSeconds(1), new InstanceOutput(real, spec, 0));
            Probe instant = c -> CompletableFuture.supplyAsync(() -> ProbeResult.success("yes"));
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int round = 0; round < 300; round++) {
                    ProbeSettings fast = ProbeSettings.builder(instant).period(Duration.ofMillis(1)).build();
                    HealthMonitor m = new HealthMonitor(real, real.probePool, ctx, new HealthMonitor.Verdicts() {
                        @Override
                        public void startupPassed() {
                        }

                        @Override
                        public void failed(io.tspm.ProbeKind kind, String probe, int failures, ProbeResult last) {
                        }

                        @Override
                        public void readinessChanged(boolean ready, String probe, ProbeResult last) {
                        }
                    }, null, fast, fast);
                    m.start();
                    for (int k = 0; k < round % 3; k++) {
                        Thread.yield(); // vary where the stop lands among the results
                    }
                    m.stop();
                }
            });
        } finally {
            real.close();
        }
    }

    @Test
    void aFatalResultFailsTheStartupAtOnce() {
        Scripted startup = new Scripted("s", "fail", "fatal");
        HealthMonitor m = monitor(settings(startup, 0, 100, 50, 1, 100), null, null);
        m.start();
        time.advance(Duration.ofMillis(1000));
        assertThat(verdicts).containsExactly("100 startup failed x2: s says never");
        assertThat(startup.askedAt).containsExactly(0L, 100L);
        m.stop();
    }
}
