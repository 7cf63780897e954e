package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessSpec;
import io.tspm.ProbeSettings;
import io.tspm.healthcheck.HttpProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedExampleTest {

    static final String SEED = String.join("\n",
            "processes:",
            "  - name: api-server",
            "    script: ./server.js",
            "    instances: 4",
            "    lbStrategy: round-robin",
            "    healthCheck:",
            "      enabled: true",
            "      protocol: http",
            "      path: /health",
            "      interval: 30000",
            "      retries: 3",
            "    clusterGroup: api",
            "",
            "  - name: worker",
            "    script: ./worker.js",
            "    instances: 2",
            "    namespace: background-jobs",
            "");

    static final String SEED_JSON = "{\"processes\": [\n"
            + "  {\"name\": \"api-server\", \"script\": \"./server.js\", \"instances\": 4, \"lbStrategy\": \"round-robin\",\n"
            + "   \"healthCheck\": {\"enabled\": true, \"protocol\": \"http\", \"path\": \"/health\", \"interval\": 30000,"
            + " \"retries\": 3},\n"
            + "   \"clusterGroup\": \"api\"},\n"
            + "  {\"name\": \"worker\", \"script\": \"./worker.js\", \"instances\": 2, \"namespace\": \"background-jobs\"}\n"
            + "]}\n";

    @TempDir
    Path dir;

    @Test
    void seedExample_loadsAsWritten_andMeansWhatItSays() throws IOException {
        Files.writeString(dir.resolve("tspm.yaml"), SEED);
        TspmConfig config = TspmConfig.load(dir);

        assertThat(config.source()).endsWith("tspm.yaml");
        assertThat(config.processes()).hasSize(2);
        ProcessSpec api = config.processes().get(0);
        assertThat(api.name()).isEqualTo("api-server");
        assertThat(api.script()).contains(Path.of("./server.js"));
        assertThat(api.instances()).isEqualTo(4);
        assertThat(api.labels()).containsEntry("clusterGroup", "api");
        // A port-less HTTP check checks each instance's own port; the process gets basePort 3000.
        assertThat(api.basePort()).hasValue(3000);
        ProbeSettings readiness = api.readinessProbe().orElseThrow();
        assertThat(((HttpProbe) readiness.probe()).urlTemplate()).isEqualTo("http://127.0.0.1:{port}/health");
        assertThat(readiness.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(readiness.failureThreshold()).isEqualTo(3);
        assertThat(api.livenessProbe()).contains(readiness);
        assertThat(config.warnings()).singleElement().hasToString(dir.resolve("tspm.yaml") + ":7:7:"
                + " processes[0].healthCheck: no port given: the process gets basePort 3000 (instance i listens on"
                + " 3000 + i, told in PORT) and the check calls each instance's own port; set healthCheck.port, or"
                + " basePort on the process, to choose");

        ProcessSpec worker = config.processes().get(1);
        assertThat(worker.namespace()).isEqualTo("background-jobs");
        assertThat(worker.instances()).isEqualTo(2);
        assertThat(worker.probes()).isEmpty();
    }

    @Test
    void seedExample_inJsonAndJsonc_bindsTheSameSpecs() throws IOException {
        Files.writeString(dir.resolve("tspm.yaml"), SEED);
        Files.writeString(dir.resolve("tspm.json"), SEED_JSON);
        Files.writeString(dir.resolve("tspm.jsonc"), "// the seed, with comments\n"
                + SEED_JSON.replace("\"namespace\": \"background-jobs\"}", "\"namespace\": \"background-jobs\",},"
                        + " /* trailing commas */"));
        TspmConfig yaml = TspmConfig.load(dir.resolve("tspm.yaml"));
        assertThat(TspmConfig.load(dir.resolve("tspm.json")).processes()).isEqualTo(yaml.processes());
        assertThat(TspmConfig.load(dir.resolve("tspm.jsonc")).processes()).isEqualTo(yaml.processes());
    }

    @Test
    void directory_findsTheFilesInTheSeedsOrder() throws IOException {
        Files.writeString(dir.resolve("tspm.jsonc"), "{\"processes\": [{\"name\": \"c\", \"shell\": \"true\"},]}");
        assertThat(TspmConfig.load(dir).processes().get(0).name()).isEqualTo("c");
        Files.writeString(dir.resolve("tspm.json"), "{\"processes\": [{\"name\": \"j\", \"shell\": \"true\"}]}");
        assertThat(TspmConfig.load(dir).processes().get(0).name()).isEqualTo("j");
        Files.writeString(dir.resolve("tspm.yml"), "processes: [{name: yml, shell: 'true'}]");
        assertThat(TspmConfig.load(dir).processes().get(0).name()).isEqualTo("yml");
        Files.writeString(dir.resolve("tspm.yaml"), "processes: [{name: yaml, shell: 'true'}]");
        assertThat(TspmConfig.load(dir).processes().get(0).name()).isEqualTo("yaml");
    }

    @Test
    void emptyDirectory_saysWhatToAdd(@TempDir Path empty) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TspmConfig.load(empty))
                .isInstanceOf(ConfigException.class)
                .hasMessage(empty + " holds no configuration: add one of tspm.yaml, tspm.yml, tspm.json, tspm.jsonc,"
                        + " ecosystem.config.json, ecosystem.json, ecosystem.config.js");
    }

    @Test
    void readerAndString_areSourcesToo() {
        TspmConfig c = TspmConfig.loader().read(new java.io.StringReader(SEED), ConfigFormat.YAML, "seed.yaml");
        assertThat(c.processes()).hasSize(2);
        assertThat(TspmConfig.parse(SEED_JSON, ConfigFormat.JSON).processes()).isEqualTo(c.processes());
    }
}
