package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.InstanceState;
import io.tspm.ProcessInstance;
import io.tspm.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFromConfigTest {

    @Test
    void aFileStartsRealProcesses_throughTheReturnedBuilder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tspm.yaml"), String.join("\n",
                "supervisor:",
                "  name: from-file",
                "  startTimeout: 20s",
                "processes:",
                "  - name: sleeper",
                "    command: [sleep, '60']",
                "    instances: 2",
                "    stopTimeout: 2s",
                "  - name: ready",
                "    shell: 'touch \"$TSPM_READY_FILE\"; exec sleep 60'",
                "    dependsOn: [sleeper]",
                "    readinessProbe: {type: readyFile, period: 100ms}",
                ""));
        TspmConfig config = TspmConfig.load(dir);
        try (Supervisor s = config.supervisorBuilder().shutdownHook(false).build()) {
            s.start();
            assertThat(s.group("sleeper").instances()).hasSize(2)
                    .allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.RUNNING));
            ProcessInstance ready = s.group("ready").instances().get(0);
            assertThat(ready.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(ready.pid()).isPresent();
            s.stop();
            assertThat(s.group("sleeper").instances())
                    .allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.STOPPED));
        }
        assertThat(Duration.ofSeconds(20)).isEqualTo(config.supervisor().startTimeout());
    }
}
