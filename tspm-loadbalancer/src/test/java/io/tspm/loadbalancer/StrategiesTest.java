package io.tspm.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.spi.LoadBalancer;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The facade: configuration names both ways, strategies as values, errors one can act on. */
class StrategiesTest {

    @Test
    void byName_takesTheSeedsNamesAndTheNewOnes_andNameGivesThemBack() {
        assertThat(Strategies.names()).startsWith("round-robin", "random", "least-connections", "least-cpu",
                "least-memory", "ip-hash", "weighted").contains("power-of-two", "consistent-hash", "slow-start");
        for (String name : Strategies.names()) {
            assertThat(Strategies.byName(name).name()).isEqualTo(name);
        }
        assertThat(Strategies.byName("Least_Connections")).isEqualTo(Strategies.leastConnections());
    }

    @Test
    void byName_unknown_listsTheKnownAndSuggestsTheNearest() {
        assertThatThrownBy(() -> Strategies.byName("least-conections"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown load-balancing strategy 'least-conections'; did you mean 'least-connections'?"
                        + " (known: round-robin, random, least-connections, least-cpu, least-memory, ip-hash, weighted,"
                        + " power-of-two, consistent-hash, slow-start)");
        assertThatThrownBy(() -> Strategies.byName("zzzzzzzzzzzzzzzzzzzz"))
                .hasMessageStartingWith("unknown load-balancing strategy 'zzzzzzzzzzzzzzzzzzzz' (known: round-robin");
        assertThatThrownBy(() -> Strategies.byName("roundrobin")).hasMessageContaining("did you mean 'round-robin'?");
    }

    @Test
    void strategies_areValues() {
        assertThat(Strategies.roundRobin()).isEqualTo(Strategies.roundRobin())
                .hasSameHashCodeAs(Strategies.roundRobin()).hasToString("round-robin");
        assertThat(Strategies.random(3)).isEqualTo(Strategies.random(3)).isNotEqualTo(Strategies.random(4))
                .isNotEqualTo(Strategies.random());
        assertThat(Strategies.random()).isEqualTo(Strategies.random());
        assertThat(Strategies.ipHash()).isNotEqualTo(Strategies.consistentHash());
        assertThat(Strategies.leastCpu()).isEqualTo(Strategies.leastCpu()).isNotEqualTo(Strategies.leastMemory());
        LoadBalancer slow = Strategies.slowStart(Strategies.powerOfTwo(), Duration.ofSeconds(10));
        assertThat(slow).isEqualTo(Strategies.slowStart(Strategies.powerOfTwo(), Duration.ofSeconds(10)))
                .isNotEqualTo(Strategies.slowStart(Strategies.powerOfTwo(), Duration.ofSeconds(11)))
                .hasToString("slow-start(power-of-two(thread-local), 10 s)");
    }

    @Test
    void badSettings_areRejectedWithTheFieldAndTheValue() {
        assertThatThrownBy(() -> Strategies.slowStart(Strategies.roundRobin(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("slowStart window must be > 0, but was 0 ms");
        assertThatThrownBy(() -> Strategies.leastCpu(Duration.ofSeconds(-1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sampleInterval must be > 0, but was -1 s");
        assertThatThrownBy(() -> Strategies.slowStart(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("inner");
    }
}
