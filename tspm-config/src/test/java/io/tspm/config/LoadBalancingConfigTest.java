package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tspm.ProcessSpec;
import io.tspm.loadbalancer.Strategies;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lbStrategy names a strategy from tspm-loadbalancer through the registry, or says what it knows. */
class LoadBalancingConfigTest {

    private static TspmConfig read(String yaml) {
        return TspmConfig.loader().environment(Map.of()).read(new StringReader(yaml), ConfigFormat.YAML, "tspm.yaml");
    }

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(yaml));
        assertThat(e).as("a ConfigException").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void theSeedsNamesAndTheNewOnesBindOntoTheSpec() {
        TspmConfig config = read(String.join("\n",
                "processes:",
                "  - {name: a, shell: x, lbStrategy: least-connections, weights: [2, 1], instances: 2}",
                "  - {name: b, shell: x, lbStrategy: weighted}",
                "  - {name: c, shell: x, lbStrategy: {type: slow-start, window: 10s, strategy: power-of-two}}",
                "  - {name: d, shell: x, lbStrategy: ipHash}",
                ""));
        List<ProcessSpec> specs = config.processes();
        assertThat(specs.get(0).loadBalancer()).contains(Strategies.leastConnections());
        assertThat(specs.get(0).traffic().weights()).containsExactly(2, 1);
        assertThat(specs.get(1).loadBalancer()).contains(Strategies.weighted());
        assertThat(specs.get(2).loadBalancer()).get().extracting(l -> l.name()).isEqualTo("slow-start");
        assertThat(specs.get(3).loadBalancer()).contains(Strategies.ipHash());
        assertThat(ConfigWriter.toYaml(specs)).contains("lbStrategy: least-connections", "lbStrategy: ip-hash");
    }

    @Test
    void weightsFromTheFile_steerARealGroupsPicks_asNginxsSmoothWeightedRoundRobin() throws Exception {
        TspmConfig config = read(String.join("\n",
                "processes:",
                "  - {name: web, command: [sleep, '600'], instances: 3, lbStrategy: weighted, weights: [5, 1, 1]}",
                ""));
        try (io.tspm.Supervisor s = config.supervisorBuilder().build()) {
            s.start();
            io.tspm.ProcessGroup web = s.group("web");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> web.endpoints().endpoints().size() == 3);
            List<Integer> picked = new java.util.ArrayList<>();
            for (int k = 0; k < 14; k++) {
                try (io.tspm.Lease lease = web.pick().orElseThrow()) {
                    picked.add(lease.endpoint().instanceId());
                }
            }
            // Weights 5, 1, 1 give a a b a c a a, twice over.
            assertThat(picked).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
        }
    }

    @Test
    void anUnknownStrategyListsTheKnownOnesAndSuggestsTheNearest() {
        List<String> p = problems("processes: [{name: a, shell: x, lbStrategy: least-connection}]");
        assertThat(p).singleElement().asString()
                .startsWith("tspm.yaml:1:45: processes[0].lbStrategy: unknown strategy 'least-connection', expected"
                        + " one of round-robin, random, least-connections")
                .endsWith("; did you mean 'least-connections'?");
        assertThat(problems("processes: [{name: a, shell: x, lbStrategy: {type: slow-start, strategy: nope}}]"))
                .singleElement().asString().contains("processes[0].lbStrategy.strategy").contains("'nope'");
    }
}
