package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tspm.InstanceState;
import io.tspm.ProcessInstance;
import io.tspm.Supervisor;
import io.tspm.config.TspmConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example files load as written and run: the web app answers on each instance's port, the worker is restarted. */
class ExampleConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {"tspm.yaml", "ecosystem.config.json", "ecosystem.config.js"})
    void eachExampleLoadsAndRuns(String file) throws Exception {
        TspmConfig config = TspmConfig.load(Path.of(file));
        assertThat(config.processes()).extracting(p -> p.name()).containsExactly("web", "worker");
        assertThat(config.processes().get(0).instances()).isEqualTo(2);
        assertThat(config.processes().get(0).basePort()).as("%s gives web a port", file).isPresent();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Supervisor s = config.supervisorBuilder().build()) {
            s.start();
            for (ProcessInstance i : s.group("web").instances()) {
                int port = i.port().orElseThrow();
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            }
            ProcessInstance worker = s.group("worker").instance(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> worker.snapshot().restarts() >= 1);
            assertThat(s.group("web").instances()).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.RUNNING));
        }
    }
}
