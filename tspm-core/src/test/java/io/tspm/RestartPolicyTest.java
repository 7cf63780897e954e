package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void badValuesAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> RestartPolicy.builder().initialDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("initialDelay must not be negative, but was -1 ms");
        assertThatThrownBy(() -> RestartPolicy.builder().maxDelay(Duration.ofSeconds(-5)))
                .hasMessage("maxDelay must not be negative, but was -5 s");
        assertThatThrownBy(() -> RestartPolicy.builder().fixedDelay(Duration.ofSeconds(-1)))
                .hasMessage("fixedDelay must not be negative, but was -1 s");
        assertThatThrownBy(() -> RestartPolicy.builder().minUptime(Duration.ofSeconds(-1)))
                .hasMessage("minUptime must not be negative, but was -1 s");
        assertThatThrownBy(() -> RestartPolicy.builder().multiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("multiplier must be a finite number >= 1, but was 0.5");
        assertThatThrownBy(() -> RestartPolicy.builder().multiplier(Double.NaN)).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> RestartPolicy.builder().multiplier(Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> RestartPolicy.builder().jitter(1.5)).hasMessage("jitter must be in [0, 1], but was 1.5");
        assertThatThrownBy(() -> RestartPolicy.builder().jitter(-0.1)).hasMessage("jitter must be in [0, 1], but was -0.1");
        assertThatThrownBy(() -> RestartPolicy.builder().maxRestarts(-1, Duration.ofMinutes(1)))
                .hasMessage("maxRestarts must be >= 0, but was -1");
        assertThatThrownBy(() -> RestartPolicy.builder().maxRestarts(3, Duration.ZERO))
                .hasMessage("window must be positive, but was 0 ms");
        assertThatThrownBy(() -> RestartPolicy.builder().maxRestarts(3, null)).isInstanceOf(NullPointerException.class).hasMessage("window");
        assertThatThrownBy(() -> RestartPolicy.builder().initialDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("maxDelay (1 s) must be >= initialDelay (2 s)");
        assertThatThrownBy(() -> RestartPolicy.builder().mode(null)).isInstanceOf(NullPointerException.class).hasMessage("mode");
        assertThatThrownBy(() -> RestartPolicy.builder().successExitCodes(0, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("successExitCodes must be in 0..255, but was 256 in [0, 256]");
    }

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
        RestartPolicy p = RestartPolicy.builder().initialDelay(Duration.ofMillis(100)).multiplier(2)
                .maxDelay(Duration.ofSeconds(1)).jitter(0).build();
        assertThat(IntStream.range(0, 7).mapToObj(p::backoff).map(Duration::toMillis))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
        assertThat(p.backoff(10_000)).isEqualTo(Duration.ofSeconds(1));
        RestartPolicy fixed = RestartPolicy.builder().fixedDelay(Duration.ofMillis(250)).build();
        assertThat(IntStream.range(0, 4).mapToObj(fixed::backoff).map(Duration::toMillis)).containsOnly(250L);
        assertThat(fixed.jitter()).isZero();
    }

    @Test
    void jitterSpreadsEachDelayWithinItsBounds_neverBelowTheFirstDelayNorPastTheMaximum() {
        RestartPolicy p = RestartPolicy.builder().initialDelay(Duration.ofMillis(500)).maxDelay(Duration.ofMillis(1100))
                .jitter(0.2).build();
        assertThat(p.jittered(Duration.ofMillis(1000), 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.jittered(Duration.ofMillis(1000), 0.5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.jittered(Duration.ofMillis(1000), 0.999999)).isEqualTo(Duration.ofMillis(1100)); // capped
        assertThat(p.jittered(Duration.ofMillis(500), 0.0)).as("the minimum is a minimum").isEqualTo(Duration.ofMillis(500));
        assertThat(p.jittered(Duration.ofMillis(500), 0.75)).isEqualTo(Duration.ofMillis(550));
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Duration d = p.jittered(p.backoff(i % 5), r.nextDouble());
            assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofMillis(1100));
        }
    }

    @Test
    void decidesByModeSuccessCodesAndWhoSentTheSignal() {
        RestartPolicy onFailure = RestartPolicy.builder().successExitCodes(0, 2).build();
        assertThat(onFailure.shouldRestart(new ExitStatus(0))).isFalse();
        assertThat(onFailure.shouldRestart(new ExitStatus(2))).isFalse();
        assertThat(onFailure.shouldRestart(new ExitStatus(1))).isTrue();
        assertThat(onFailure.shouldRestart(new ExitStatus(128 + 9))).as("death by SIGKILL from outside").isTrue();
        assertThat(onFailure.shouldRestart(new ExitStatus(128 + 15), true)).as("SIGTERM the supervisor sent").isFalse();
        RestartPolicy always = RestartPolicy.builder().mode(RestartMode.ALWAYS).build();
        assertThat(always.shouldRestart(new ExitStatus(0))).isTrue();
        assertThat(always.shouldRestart(new ExitStatus(143), true)).isTrue();
        assertThat(RestartPolicy.never().shouldRestart(new ExitStatus(1))).isFalse();
    }

    @Test
    void defaultsToBuilderAndEquality() {
        RestartPolicy d = RestartPolicy.defaults();
        assertThat(d.mode()).isEqualTo(RestartMode.ON_FAILURE);
        assertThat(d.successExitCodes()).containsExactly(0);
        assertThat(d.initialDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.multiplier()).isEqualTo(2.0);
        assertThat(d.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.jitter()).isEqualTo(0.1);
        assertThat(d.minUptime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.maxRestarts()).isEqualTo(5);
        assertThat(d.window()).isEqualTo(Duration.ofMinutes(1));
        RestartPolicy p = RestartPolicy.builder().mode(RestartMode.ALWAYS).successExitCodes(3).fixedDelay(Duration.ofSeconds(2))
                .minUptime(Duration.ofSeconds(1)).maxRestarts(7, Duration.ofSeconds(30)).build();
        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(p.toBuilder().jitter(0.5).build()).isNotEqualTo(p);
        assertThat(RestartPolicy.builder().unlimitedRestarts().build().maxRestarts()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void exitStatusDecodesSignals() {
        assertThat(new ExitStatus(143).signal()).contains(Signal.TERM);
        assertThat(new ExitStatus(137).toString()).isEqualTo("killed by SIGKILL (exit value 137)");
        assertThat(new ExitStatus(1).signal()).isEmpty();
        assertThat(new ExitStatus(1).toString()).isEqualTo("exit code 1");
        assertThat(Signal.parse("sigterm")).isEqualTo(Signal.TERM);
        assertThatThrownBy(() -> Signal.parse("FOO")).hasMessageContaining("but was 'FOO'");
    }
}
