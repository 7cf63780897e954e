package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.Hook;
import io.tspm.ProbeSettings;
import io.tspm.ProcessSpec;
import io.tspm.healthcheck.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The same file off one machine: Kubernetes manifests parsed back, a systemd unit checked by systemd. */
class ExportTest {

    @TempDir
    Path dir;

    private static List<ProcessSpec> specs() {
        return List.of(
                ProcessSpec.builder("Web_API").command("java", "-jar", "web.jar").args("--port", "8080").instances(3)
                        .basePort(8080).namespace("shop").label("tier", "front").env("MODE", "prod")
                        .maxMemory(300L << 20).stopTimeout(Duration.ofSeconds(20)).proxyPort(80)
                        .readinessProbe(ProbeSettings.builder(Probes.http("http://127.0.0.1:{port}/health"))
                                .period(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(2)).failureThreshold(4)
                                .successThreshold(2).build())
                        .livenessProbe(Probes.tcp("{port}"))
                        .startupProbe(ProbeSettings.startupBuilder(Probes.logLine("Started")).build())
                        .preStop(Hook.shell("curl -s localhost:8080/drain")).build(),
                ProcessSpec.builder("worker").command("./worker").instances(2)
                        .livenessProbe(Probes.command("pg_isready", "-q")).build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void deploymentsAndServicesParseBackWithTheSameSettings() {
        String yaml = KubernetesManifests.of(specs(), "registry.example.com/shop:1.2");
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (d != null) {
                docs.add(cast(d));
            }
        }
        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("Deployment", "Service", "Deployment");
        Map<String, Object> web = docs.get(0);
        assertThat(cast(web.get("metadata"))).containsEntry("name", "web-api").containsEntry("namespace", "shop");
        Map<String, Object> spec = cast(web.get("spec"));
        assertThat(spec).containsEntry("replicas", 3);
        Map<String, Object> container = cast(((List<?>) cast(cast(spec.get("template")).get("spec")).get("containers"))
                .get(0));
        assertThat(container).containsEntry("image", "registry.example.com/shop:1.2")
                .containsEntry("command", List.of("java")).containsEntry("args", List.of("-jar", "web.jar", "--port",
                        "8080"));
        assertThat((List<Object>) container.get("env")).contains(Map.of("name", "MODE", "value", "prod"),
                Map.of("name", "PORT", "value", "8080"));
        assertThat(cast(container.get("readinessProbe"))).containsEntry("httpGet", Map.of("path", "/health",
                "port", 8080)).containsEntry("periodSeconds", 5).containsEntry("timeoutSeconds", 2)
                .containsEntry("failureThreshold", 4).containsEntry("successThreshold", 2);
        assertThat(cast(container.get("livenessProbe"))).containsEntry("tcpSocket", Map.of("port", 8080));
        assertThat(container).doesNotContainKey("startupProbe");
        assertThat(yaml).contains("# note: startupProbe (log line /Started/) has no Kubernetes equivalent");
        assertThat(cast(container.get("resources"))).isEqualTo(Map.of("limits", Map.of("memory", "300Mi")));
        assertThat(cast(container.get("lifecycle"))).isEqualTo(Map.of("preStop", Map.of("exec", Map.of("command",
                List.of("/bin/sh", "-c", "curl -s localhost:8080/drain")))));
        assertThat(cast(cast(web.get("spec")).get("template"))).isNotNull();
        Map<String, Object> service = cast(docs.get(1).get("spec"));
        assertThat((List<Object>) service.get("ports")).containsExactly(Map.of("name", "main", "port", 80, "targetPort",
                8080));
        Map<String, Object> worker = cast(((List<?>) cast(cast(cast(docs.get(2).get("spec")).get("template"))
                .get("spec")).get("containers")).get(0));
        assertThat(cast(worker.get("livenessProbe"))).containsEntry("exec", Map.of("command",
                List.of("pg_isready", "-q")));
        assertThatThrownBy(() -> KubernetesManifests.of(specs(), " "))
                .hasMessage("image must name a container image, but was blank");
    }

    @Test
    void theSystemdUnitIsOneSystemdAccepts() throws Exception {
        Path launcher = Files.createDirectories(dir.resolve("bin")).resolve("tspm");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.writeString(dir.resolve("tspm.yaml"), "processes: []\n");
        String unit = SystemdUnit.of(launcher, config, specs(), "www-data");
        assertThat(unit).contains("ExecStart=" + launcher + " run " + config, "Restart=on-failure", "KillMode=mixed",
                "User=www-data", "WorkingDirectory=" + dir, "TimeoutStopSec=70");
        Path file = Files.writeString(dir.resolve("tspm.service"), unit);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is not installed (Debian package systemd): the unit is not verified by systemd");
        Process p = new ProcessBuilder("systemd-analyze", "verify", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
