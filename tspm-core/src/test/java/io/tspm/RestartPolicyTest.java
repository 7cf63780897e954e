package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void badValuesAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> RestartPolicy.builder().delay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("delay must not be negative, but was PT-0.001S");
        assertThatThrownBy(() -> RestartPolicy.builder().delay(null)).isInstanceOf(NullPointerException.class).hasMessage("delay");
        assertThatThrownBy(() -> RestartPolicy.builder().mode(null)).isInstanceOf(NullPointerException.class).hasMessage("mode");
        assertThatThrownBy(() -> RestartPolicy.builder().successExitCodes(0, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("successExitCodes must be in 0..255, but was 256 in [0, 256]");
        assertThatThrownBy(() -> RestartPolicy.builder().successExitCodes(-1)).hasMessageContaining("but was -1");
    }

    @Test
    void decidesByModeAndSuccessCodes() {
        RestartPolicy onFailure = RestartPolicy.builder().successExitCodes(0, 2).build();
        assertThat(onFailure.shouldRestart(new ExitStatus(0))).isFalse();
        assertThat(onFailure.shouldRestart(new ExitStatus(2))).isFalse();
        assertThat(onFailure.shouldRestart(new ExitStatus(1))).isTrue();
        assertThat(onFailure.shouldRestart(new ExitStatus(128 + 9))).as("death by SIGKILL").isTrue();
        assertThat(RestartPolicy.builder().mode(RestartMode.ALWAYS).build().shouldRestart(new ExitStatus(0))).isTrue();
        assertThat(RestartPolicy.never().shouldRestart(new ExitStatus(1))).isFalse();
    }

    @Test
    void toBuilderAndEqualityRoundTrip() {
        RestartPolicy p = RestartPolicy.builder().mode(RestartMode.ALWAYS).successExitCodes(3).delay(Duration.ofSeconds(2)).build();
        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(p.toBuilder().delay(Duration.ZERO).build()).isNotEqualTo(p);
        assertThat(RestartPolicy.defaults().mode()).isEqualTo(RestartMode.ON_FAILURE);
        assertThat(RestartPolicy.defaults().successExitCodes()).containsExactly(0);
    }

    @Test
    void exitStatusDecodesSignals() {
        assertThat(new ExitStatus(143).signal()).contains(Signal.TERM);
        assertThat(new ExitStatus(137).toString()).isEqualTo("killed by SIGKILL (exit value 137)");
        assertThat(new ExitStatus(1).signal()).isEmpty();
        assertThat(new ExitStatus(1).toString()).isEqualTo("exit code 1");
        assertThat(Signal.parse("sigterm")).isEqualTo(Signal.TERM);
        assertThat(Signal.parse("USR1")).isEqualTo(Signal.USR1);
        assertThatThrownBy(() -> Signal.parse("FOO")).hasMessageContaining("but was 'FOO'");
    }
}
