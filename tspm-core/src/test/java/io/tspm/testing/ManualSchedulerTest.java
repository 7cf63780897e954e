package io.tspm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    private final ManualScheduler time = new ManualScheduler();

    @Test
    void advanceRunsTheTasksThatFallDueInTimeOrderAndNoOthers() {
        StringBuilder ran = new StringBuilder();
        time.schedule(() -> ran.append('b'), Duration.ofSeconds(2));
        time.schedule(() -> ran.append('a'), Duration.ofSeconds(1));
        time.schedule(() -> ran.append('c'), Duration.ofSeconds(3));
        long t0 = time.read();
        time.advance(Duration.ofSeconds(2));
        assertThat(ran).hasToString("ab");
        assertThat(time.read() - t0).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(time.dueIn()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void advanceDuringMovesTimeUntilACallWaitingOnItReturns() {
        long t0 = time.read();
        time.advanceDuring(() -> {
            CountDownLatch due = new CountDownLatch(1);
            time.schedule(due::countDown, Duration.ofSeconds(30));
            try {
                assertThat(due.await(1, TimeUnit.MINUTES)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, Duration.ofSeconds(1));
        assertThat(time.read() - t0).isGreaterThanOrEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void advanceDuringThrowsWhatTheCallThrew() {
        IllegalStateException thrown = new IllegalStateException("the call's own failure");
        assertThatThrownBy(() -> time.advanceDuring(() -> {
            throw thrown;
        }, Duration.ofMillis(10))).isSameAs(thrown);
        AssertionError failed = new AssertionError("an assertion in the call");
        assertThatThrownBy(() -> time.advanceDuring(() -> {
            throw failed;
        }, Duration.ofMillis(10))).isSameAs(failed);
    }

    @Test
    void advanceDuringRejectsAStepThatIsNotPositive() {
        assertThatThrownBy(() -> time.advanceDuring(() -> { }, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("step must be positive, but was PT0S");
        assertThatThrownBy(() -> time.advanceDuring(() -> { }, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("step must be positive, but was PT-0.001S");
    }

    @Test
    void anInterruptEndsTheWaitWithTheInterruptKeptAndInterruptsTheCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch callInterrupted = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> time.advanceDuring(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    callInterrupted.countDown();
                }
            }, Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("interrupted while moving time for a call that still runs on manual-time-call");
            assertThat(Thread.interrupted()).isTrue();
            assertThat(callInterrupted.await(10, TimeUnit.SECONDS)).as("the call's thread was interrupted").isTrue();
        } finally {
            release.countDown();
        }
    }
}
