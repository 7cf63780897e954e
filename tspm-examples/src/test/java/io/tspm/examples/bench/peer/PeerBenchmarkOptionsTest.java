package io.tspm.examples.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerBenchmarkOptionsTest {

    @Test
    void defaults_everyContender_100Children_threeRounds() {
        PeerBenchmark.Options o = PeerBenchmark.parse();

        assertThat(o.only()).containsExactly("floor", "tspm", "pm2", "supervisord");
        assertThat(o.counts()).containsExactly(100);
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.kills()).isEqualTo(20);
        assertThat(o.lines()).isEqualTo(1_000_000);
        assertThat(o.jvmArgs()).isEmpty();
    }

    @Test
    void thousand_javaAndJvmArgs_arePassedThrough() {
        PeerBenchmark.Options o = PeerBenchmark.parse("--thousand", "--java", "/usr/lib/jvm/x", "--jvm-arg",
                "--enable-native-access=ALL-UNNAMED", "--jvm-args", "-Dtspm.launch=jdk -Xmx256m");

        assertThat(o.counts()).containsExactly(100, 1000);
        assertThat(o.java()).isEqualTo("/usr/lib/jvm/x");
        assertThat(o.jvmArgs()).isEqualTo(List.of("--enable-native-access=ALL-UNNAMED", "-Dtspm.launch=jdk", "-Xmx256m"));
    }

    @Test
    void badValues_areRejected_namingOptionAndValue() {
        assertThatThrownBy(() -> PeerBenchmark.parse("--rounds", "0"))
                .hasMessageContaining("--rounds must be a positive number, but was 0");
        assertThatThrownBy(() -> PeerBenchmark.parse("--only", "floor,runit"))
                .hasMessageContaining("runit is no contender");
        assertThatThrownBy(() -> PeerBenchmark.parse("--kills"))
                .hasMessageContaining("--kills needs a value");
        assertThatThrownBy(() -> PeerBenchmark.parse("--fast", "1"))
                .hasMessageContaining("unknown option --fast");
    }
}
