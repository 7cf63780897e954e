package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tspm.ProcessSpec;
import io.tspm.examples.helpers.Programs;
import io.tspm.healthcheck.Probes;
import io.tspm.junit.Helper;
import io.tspm.junit.TspmExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Python's http.server serving a directory, per test (an instance field), on a free port. */
class PythonHttpServerTest {

    @TempDir
    static Path site;

    @BeforeAll
    static void python3IsInstalled() throws Exception {
        assumeTrue(Programs.find("python3").isPresent(),
                "python3 is not on the PATH: install the Debian package python3 to run this test");
        Files.writeString(site.resolve("hello.txt"), "hello from python\n");
    }

    @RegisterExtension
    final TspmExtension helpers = TspmExtension.builder()
            .addProcess(ProcessSpec.builder("python-http")
                    .command("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1",
                            "--directory", site.toString())
                    .freePorts()
                    .readinessProbe(Probes.http("http://127.0.0.1:{port}/"))
                    .build())
            .build();

    @Test
    void servesTheFile(@Helper("python-http") int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/hello.txt")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from python\n");
    }
}
