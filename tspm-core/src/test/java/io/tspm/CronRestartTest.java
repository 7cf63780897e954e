package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testing.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Cron restarts of real children, with the clock and the scheduler driven by hand. */
class CronRestartTest {

    private final ManualScheduler time = new ManualScheduler();
    private final long origin = time.read();
    private final Instant start = Instant.parse("2030-01-01T00:03:30Z")
            .minusSeconds(ZoneId.systemDefault().getRules().getOffset(Instant.parse("2030-01-01T00:03:30Z")).getTotalSeconds());
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusNanos(time.read() - origin);
        }
    };

    /**
     * Advances 10 ms of manual time per poll until the condition holds (stopping polls on this
     * scheduler too), bounded by real time: the children's exits and spawns take real time.
     */
    private void advanceUntil(java.util.function.BooleanSupplier condition) {
        io.tspm.testsupport.Await.await().until(() -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            time.advance(Duration.ofMillis(10));
            return condition.getAsBoolean();
        });
    }

    @Test
    void runningInstancesRestartAtTheCronTimesAndStoppedOnesStayStopped() {
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time).clock(clock).sampleInterval(Duration.ZERO)
                .addProcess("nightly", p -> p.command("sleep", "600").instances(2).readyAfter(Duration.ZERO)
                        .cronRestart("*/5 * * * *"))
                .build();
        try {
            s.start();
            var stopped = s.group("nightly").instance(1).stopAsync();
            advanceUntil(stopped::isDone);
            long pid = s.describe("nightly").get(0).pid().getAsLong();
            // Started at 00:03:30 local: the next */5 is 00:05:00. (Waiting on real processes above
            // advanced manual time too, so aim at clock times, not at fixed steps.)
            Instant fivePast = start.plus(Duration.ofSeconds(90));
            time.advance(Duration.between(clock.instant(), fivePast).minusSeconds(1));
            // An early fire would show as STOPPING at once; the pid stays until the exit is seen.
            assertThat(s.describe("nightly").get(0).pid()).as("%s", s.list()).hasValue(pid);
            assertThat(s.describe("nightly").get(0).state()).isEqualTo(InstanceState.RUNNING);
            time.advance(Duration.ofSeconds(1));
            advanceUntil(() -> s.describe("nightly").get(0).state() == InstanceState.RUNNING
                    && s.describe("nightly").get(0).pid().getAsLong() != pid);
            assertThat(s.describe("nightly").get(1).state()).isEqualTo(InstanceState.STOPPED);
            ExitRecord r = s.group("nightly").instance(0).exitHistory().get(0);
            assertThat(r.requested()).isTrue();
            // And again at 00:10:00.
            long second = s.describe("nightly").get(0).pid().getAsLong();
            Instant tenPast = start.plus(Duration.ofMinutes(6).plusSeconds(30));
            time.advance(Duration.between(clock.instant(), tenPast).minusSeconds(1));
            assertThat(s.describe("nightly").get(0).pid()).as("%s", s.list()).hasValue(second);
            assertThat(s.describe("nightly").get(0).state()).isEqualTo(InstanceState.RUNNING);
            time.advance(Duration.ofSeconds(1));
            advanceUntil(() -> s.describe("nightly").get(0).pid().orElse(second) != second
                    && s.describe("nightly").get(0).state() == InstanceState.RUNNING);
        } finally {
            time.advanceDuring(s::close, Duration.ofMillis(10));
        }
    }
}
