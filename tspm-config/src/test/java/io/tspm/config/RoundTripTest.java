package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.DependencyCondition;
import io.tspm.Hook;
import io.tspm.LogSettings;
import io.tspm.MemoryLimitAction;
import io.tspm.ProbeSettings;
import io.tspm.ProcessSpec;
import io.tspm.RestartMode;
import io.tspm.RestartPolicy;
import io.tspm.RestartStrategy;
import io.tspm.Signal;
import io.tspm.healthcheck.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

class RoundTripTest {

    /** A spec that sets every setting away from its default. */
    static ProcessSpec everything() {
        return ProcessSpec.builder("api").namespace("web").label("tier", "front").label("clusterGroup", "api")
                .script(Path.of("server.js")).interpreter("node", "--max-old-space-size=512").args("--port", "{port}")
                .workingDirectory(Path.of("/srv/api")).env("MODE", "prod").inheritEnvironment(false).removeEnv("DEBUG")
                .envFile(Path.of(".env")).instances(3).instanceVar("WORKER_ID").basePort(8100).portVar("HTTP_PORT")
                .reloadPortSpan(10).nice(5).user("www-data", "www").autostart(false).stopSignal(Signal.INT)
                .stopTimeout(Duration.ofMillis(1600)).addDependency("db", DependencyCondition.READY)
                .addDependency("migrate", DependencyCondition.COMPLETED)
                .restartPolicy(RestartPolicy.builder().mode(RestartMode.ALWAYS).successExitCodes(0, 3)
                        .initialDelay(Duration.ofMillis(250)).multiplier(1.5).maxDelay(Duration.ofMinutes(2))
                        .jitter(0.2).minUptime(Duration.ofSeconds(3)).maxRestarts(7, Duration.ofMinutes(5)).build())
                .restartStrategy(RestartStrategy.ONE_FOR_ALL).readyAfter(Duration.ofMillis(300)).exitHistorySize(50)
                .cronRestart("0 3 * * *").mergeStderr(true)
                .logs(LogSettings.builder().files(false).directory(Path.of("/var/log/api")).mergeInstances(true)
                        .combineStreams(true).timestampFormat("HH:mm:ss").json(true).maxFileSize(1024 * 1024)
                        .maxFiles(3).gzip(true).maxTotalSize(8L * 1024 * 1024).stdoutLevel(Level.DEBUG).stderrLevel(null)
                        .recentLines(50).maxLineLength(4096).build())
                .startupProbe(ProbeSettings.startupBuilder(Probes.logLine("Started .* in").times(2).failOn("FATAL"))
                        .failureThreshold(50).build())
                .readinessProbe(ProbeSettings.builder(Probes.http("http://127.0.0.1:{port}/health").method("HEAD")
                        .expectStatus(200, 204).expectBody("UP").header("X-Probe", "1")).period(Duration.ofSeconds(2))
                        .timeout(Duration.ofMillis(500)).initialDelay(Duration.ofSeconds(1)).successThreshold(2).build())
                .livenessProbe(ProbeSettings.builder(Probes.any(Probes.tcp("{port}"), Probes.readyFile(),
                        Probes.command("pg_isready", "-q"))).failureThreshold(5).build())
                .maxMemory(300L * 1024 * 1024).memoryLimitSamples(4).memoryLimitAction(MemoryLimitAction.RELOAD)
                .memoryWarningRatio(0.7).watch(Path.of("src"), Path.of("conf")).watchIgnore("**/*.log")
                .watchDebounce(Duration.ofSeconds(1)).reloadBatch(2).reloadTimeout(Duration.ofSeconds(90))
                .reloadDrain(Duration.ofMillis(1500)).weights(3, 1).panicThreshold(0.5).proxyPort(9900)
                .loadBalancer(io.tspm.loadbalancer.Strategies.leastConnections()).preStart(Hook.shell("./migrate.sh"))
                .postStart(Hook.command("curl", "-s", "localhost").withTimeout(Duration.ofSeconds(3)))
                .preStop(Hook.shell("./drain.sh").withTimeout(Duration.ofSeconds(2)))
                .postStop(Hook.command("rm", "-f", "/tmp/api.lock")).build();
    }

    static List<ProcessSpec> specs() {
        return List.of(everything(),
                ProcessSpec.builder("db").command("postgres", "-D", "/data").build(),
                ProcessSpec.builder("migrate").shell("./migrate $1").args("up").oneShot(true)
                        .restartPolicy(RestartPolicy.builder().maxRestarts(2, Duration.ofMinutes(1)).build()).build(),
                ProcessSpec.builder("forever").command("sleep", "1000")
                        .restartPolicy(RestartPolicy.builder().unlimitedRestarts().build()).build());
    }

    @TempDir
    Path dir;

    @Test
    void yaml_loadsBackEqual_forEveryField() throws Exception {
        String yaml = ConfigWriter.toYaml(specs());
        Path file = dir.resolve("saved.yaml");
        Files.writeString(file, yaml);
        assertThat(TspmConfig.load(file).processes()).as(yaml).isEqualTo(anchored(specs(), dir));
    }

    /** A file's processes without a working directory run in the file's directory. */
    static List<ProcessSpec> anchored(List<ProcessSpec> specs, Path dir) {
        return specs.stream().map(s -> s.toBuilder().workingDirectory(s.workingDirectory().orElse(dir.toAbsolutePath()))
                .build()).toList();
    }

    @Test
    void json_loadsBackEqual_forEveryField() {
        String json = ConfigWriter.toJson(specs());
        assertThat(TspmConfig.parse(json, ConfigFormat.JSON).processes()).as(json).isEqualTo(specs());
    }

    @Test
    void write_isAtomic_andPicksTheFormatByExtension() {
        Path file = dir.resolve("dump.json");
        ConfigWriter.write(file, specs());
        assertThat(TspmConfig.load(file).processes()).isEqualTo(anchored(specs(), dir));
    }

    @Test
    void supervisorSettings_roundTrip() {
        SupervisorSettings s = new SupervisorSettings("main", Path.of("/var/log/tspm"), Duration.ofSeconds(5),
                Duration.ofSeconds(90), false, false, true, true);
        TspmConfig back = TspmConfig.parse(ConfigWriter.toYaml(s, List.of()), ConfigFormat.YAML);
        assertThat(back.supervisor()).isEqualTo(s);
    }

    @Test
    void aCallbackHook_cannotBeWritten_andSaysWhich() {
        ProcessSpec s = ProcessSpec.builder("cb").shell("x").preStart(Hook.callback(c -> { })).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigWriter.toYaml(List.of(s)))
                .hasMessageStartingWith("process 'cb' cannot be written: hook callback");
    }
}
