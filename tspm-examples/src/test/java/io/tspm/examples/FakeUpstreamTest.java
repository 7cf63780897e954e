package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.examples.helpers.FakeUpstream;
import io.tspm.examples.helpers.Programs;
import io.tspm.healthcheck.Probes;
import io.tspm.junit.Helper;
import io.tspm.junit.TspmExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fake upstream written in Java, started once for the class on a free port, ready when /health says UP. */
class FakeUpstreamTest {

    @RegisterExtension
    static final TspmExtension helpers = TspmExtension.builder()
            .addProcess(ProcessSpec.builder("upstream")
                    .command(Programs.java(FakeUpstream.class))
                    .freePorts()
                    .readinessProbe(Probes.http("http://127.0.0.1:{port}/health").expectBody("UP"))
                    .build())
            .build();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void greetsThroughTheUpstream(@Helper("upstream") int port, @Helper("upstream") ProcessInstance upstream)
            throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/greeting?name=ada")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"greeting\":\"hello ada\"}");
        assertThat(upstream.awaitLine("greeting ada", java.time.Duration.ofSeconds(10)).text()).isEqualTo("greeting ada");
    }

    @Test
    void isTheSameProcessForEveryTestOfTheClass(@Helper("upstream") ProcessInstance upstream) {
        assertThat(upstream.recentOutput(100)).first().asString().startsWith("fake upstream listening on ");
        assertThat(upstream.snapshot().restarts()).isZero();
    }
}
