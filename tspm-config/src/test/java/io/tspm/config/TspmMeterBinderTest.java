package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Micrometer binder sees what /metrics shows, and follows scaling and removal. */
class TspmMeterBinderTest {

    @Test
    void aSimpleRegistrySeesTheSameFiguresAndFollowsTheSupervisor() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofMillis(200))
                .addProcess(ProcessSpec.builder("web").command("sleep", "60").instances(2).readyAfter(Duration.ZERO)
                        .build())
                .build();
                TspmMeterBinder binder = new TspmMeterBinder(s, Duration.ZERO, Clock.systemUTC())) {
            binder.bindTo(registry);
            assertThat(registry.find("tspm.instance.up").gauges()).hasSize(2)
                    .allSatisfy(g -> assertThat(g.value()).isZero());
            s.start();
            Gauge up = registry.get("tspm.instance.up").tags("process", "web", "instance", "1", "namespace", "default")
                    .gauge();
            assertThat(up.value()).isEqualTo(1.0);
            await().until(() -> registry.get("tspm.instance.memory.resident").tag("instance", "0").gauge().value() > 0);
            double memory = registry.get("tspm.instance.memory.resident").tag("instance", "0").gauge().value();
            assertThat(memory).isEqualTo((double) s.describe("web").get(0).resources().orElseThrow().memoryBytes()
                    .getAsLong());

            s.group("web").instance(0).restart();
            FunctionCounter restarts = registry.get("tspm.instance.restarts").tag("instance", "0").functionCounter();
            assertThat(restarts.count()).isEqualTo(1.0);

            s.group("web").scale(3);
            await().until(() -> registry.find("tspm.instance.up").gauges().size() == 3);
            s.group("web").scale(1);
            await().until(() -> registry.find("tspm.instance.up").gauges().size() == 1);
            s.remove("web");
            await().until(() -> registry.find("tspm.instance.up").gauges().isEmpty());
        }
        assertThat(registry.getMeters()).as("closing the binder removes its meters").isEmpty();
    }
}
