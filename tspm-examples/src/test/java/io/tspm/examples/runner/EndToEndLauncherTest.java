package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tspm.examples.runner.client.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as a user drives it from a shell: start a config detached, list, scale, logs, reload,
 * save, kill, resurrect, kill, and nothing left running.
 */
@EnabledIfSystemProperty(named = "tspm.launcher", matches = ".+",
        disabledReason = "runs in the integration-test phase, once the launcher is assembled")
class EndToEndLauncherTest {

    static final String CONFIG = String.join("\n",
            "processes:",
            "  - name: web",
            "    shell: 'echo \"web $TSPM_INSTANCE_ID on $PORT\"; while true; do echo \"web $TSPM_INSTANCE_ID tick\";"
                    + " sleep 0.2; done'",
            "    instances: 2",
            "    basePort: 19480",
            "    stopTimeout: 2s",
            "    reloadDrain: 100ms",
            "  - name: worker",
            "    shell: 'while true; do echo working; sleep 1; done'",
            "    namespace: jobs",
            "");

    @TempDir
    Path dir;

    Launcher tspm;

    @BeforeEach
    void setUp() throws Exception {
        tspm = new Launcher(dir);
        Files.writeString(dir.resolve("tspm.yaml"), CONFIG);
    }

    @AfterEach
    void noProcessLeftBehind() throws Exception {
        try {
            tspm.run("kill");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
        } finally {
            tspm.killLeftovers();
        }
    }

    @Test
    void startListScaleLogsReloadSaveKillResurrectKill() throws Exception {
        Launcher.Result start = tspm.run("start", "tspm.yaml", "--daemon");
        assertThat(start.exit()).as(start.toString()).isZero();
        assertThat(start.out()).contains("web", "worker", "running");
        assertThat(Files.readString(dir.resolve(".tspm/tspm.pid")).trim()).matches("\\d+");
        assertThat(Files.getPosixFilePermissions(dir.resolve(".tspm/token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Launcher.Result list = tspm.run("list", "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        List<?> instances = (List<?>) Json.parse(list.out());
        assertThat(instances).hasSize(3);
        Map<?, ?> first = (Map<?, ?>) instances.get(0);
        assertThat(first.get("name")).isEqualTo("web");
        assertThat(first.get("status")).isEqualTo("running");
        assertThat(first.get("port")).isEqualTo(19480L);

        Launcher.Result scale = tspm.run("scale", "web", "3");
        assertThat(scale.exit()).as(scale.toString()).isZero();
        assertThat(scale.out()).contains("scaled web from 2 to 3");
        assertThat((List<?>) Json.parse(tspm.run("jlist").out())).hasSize(4);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Launcher.Result logs = tspm.run("logs", "web", "--lines", "5");
            assertThat(logs.exit()).isZero();
            assertThat(logs.out().lines()).hasSize(5).allMatch(l -> l.contains(" web#"));
        });

        List<?> before = (List<?>) Json.parse(tspm.run("jlist").out());
        Launcher.Result reload = tspm.run("reload", "web");
        assertThat(reload.exit()).as(reload.toString()).isZero();
        List<?> after = (List<?>) Json.parse(tspm.run("jlist").out());
        for (int i = 0; i < 3; i++) {
            assertThat(((Map<?, ?>) after.get(i)).get("pid")).as("web#" + i + " replaced")
                    .isNotEqualTo(((Map<?, ?>) before.get(i)).get("pid"));
            assertThat(((Map<?, ?>) after.get(i)).get("status")).isEqualTo("running");
        }

        assertThat(tspm.run("stop", "jobs").out()).contains("stopped namespace jobs");
        Launcher.Result save = tspm.run("save");
        assertThat(save.exit()).as(save.toString()).isZero();
        Path dump = dir.resolve(".tspm/dump.yaml");
        assertThat(Files.getPosixFilePermissions(dump)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dump)).contains("# stopped: worker", "instances: 3");

        Launcher.Result kill = tspm.run("kill");
        assertThat(kill.exit()).as(kill.toString()).isZero();
        assertThat(kill.out()).contains("every process stopped gracefully");
        assertThat(tspm.marked()).isEmpty();
        Launcher.Result none = tspm.run("list");
        assertThat(none.exit()).isEqualTo(ExitCodes.NO_RUNNER);
        assertThat(none.err()).contains("no tspm runner is running: looked for "
                + dir.toRealPath().resolve(".tspm/port") + ", ").doesNotContain("no .tspm/port in");

        Launcher.Result resurrect = tspm.run("resurrect");
        assertThat(resurrect.exit()).as(resurrect.toString()).isZero();
        List<?> restored = (List<?>) Json.parse(tspm.run("jlist").out());
        assertThat(restored).hasSize(4);
        assertThat(restored).filteredOn(i -> "web".equals(((Map<?, ?>) i).get("name")))
                .allMatch(i -> "running".equals(((Map<?, ?>) i).get("status")));
        assertThat(restored).filteredOn(i -> "worker".equals(((Map<?, ?>) i).get("name")))
                .allMatch(i -> "stopped".equals(((Map<?, ?>) i).get("status")));

        Launcher.Result kill2 = tspm.run("kill");
        assertThat(kill2.exit()).as(kill2.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
    }

    @Test
    void startupAndExportWriteTheConfigForSystemdAndKubernetes() throws Exception {
        Launcher.Result unit = tspm.run("startup", "tspm.yaml", "--user", "www-data");
        assertThat(unit.exit()).as(unit.toString()).isZero();
        assertThat(unit.out()).contains("ExecStart=" + Launcher.path() + " run " + dir.resolve("tspm.yaml"),
                "User=www-data", "KillMode=mixed", "systemctl enable --now tspm");
        Launcher.Result k8s = tspm.run("export", "kubernetes", "tspm.yaml", "--image", "shop:1");
        assertThat(k8s.exit()).as(k8s.toString()).isZero();
        assertThat(k8s.out()).contains("kind: Deployment", "replicas: 2", "image: shop:1", "kind: Service",
                "containerPort: 19480", "namespace: jobs");
        Launcher.Result bad = tspm.run("export", "nomad", "tspm.yaml", "--image", "shop:1");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown export format 'nomad'; known: kubernetes");
    }

    @Test
    void unknownNamesAndCommandsSuggestTheNearest() throws Exception {
        assertThat(tspm.run("start", "tspm.yaml").exit()).isZero();

        Launcher.Result typo = tspm.run("restart", "wbe");
        assertThat(typo.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(typo.err()).contains("no process or namespace named 'wbe'; did you mean 'web'?");
        // scale and describe take one process: a namespace is told as one, not suggested as itself.
        Launcher.Result namespace = tspm.run("scale", "jobs", "2");
        assertThat(namespace.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(namespace.err()).contains("'jobs' is a namespace (worker), not a process")
                .doesNotContain("did you mean 'jobs'");
        Launcher.Result describe = tspm.run("describe", "wrker");
        assertThat(describe.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(describe.err()).contains("no process named 'wrker'; did you mean 'worker'?");

        Launcher.Result command = tspm.run("lsit");
        assertThat(command.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(command.err()).contains("unknown command 'lsit'; did you mean 'list'?", "'tspm --help' lists");
        assertThat(tspm.run("stauts").err()).contains("did you mean 'status'?");

        Launcher.Result option = tspm.run("logs", "--lnes", "3");
        assertThat(option.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err()).contains("--lines");

        Launcher.Result again = tspm.run("start", "tspm.yaml");
        assertThat(again.exit()).isEqualTo(ExitCodes.ALREADY_RUNNING);
    }

    @Test
    void aDamagedDump_isRestoredFromTheBackup_withAWarningTheUserSees() throws Exception {
        assertThat(tspm.run("start", "tspm.yaml").exit()).isZero();
        assertThat(tspm.run("save").exit()).isZero();
        assertThat(tspm.run("scale", "web", "3").exit()).isZero();
        assertThat(tspm.run("save").exit()).isZero(); // the first dump is the backup now
        assertThat(tspm.run("kill").exit()).isZero();
        Path dump = dir.resolve(".tspm/dump.yaml");
        Files.write(dump, java.util.Arrays.copyOf(Files.readAllBytes(dump), 150)); // cut off

        // No runner: a new detached one, and the warning is on the terminal, not only in runner.log.
        Launcher.Result detached = tspm.run("resurrect");
        assertThat(detached.exit()).as(detached.toString()).isZero();
        assertThat(detached.err()).contains("warning: " + dump.toRealPath() + " is damaged",
                "restoring the previous dump " + dump.toRealPath() + ".bak instead");
        assertThat((List<?>) Json.parse(tspm.run("jlist").out())).as("the backup's 2 web and 1 worker").hasSize(3);

        // Into the running runner: the same warning, and the file restored named as the backup.
        Launcher.Result running = tspm.run("resurrect");
        assertThat(running.exit()).as(running.toString()).isZero();
        assertThat(running.err()).contains("is damaged", "restoring the previous dump");
        assertThat(running.out()).contains("restored " + dump.toRealPath() + ".bak:");
    }

    @Test
    void aWrongListenOrStopAfter_isAWrongCommandLine_beforeAnyRunnerStarts() throws Exception {
        Launcher.Result port = tspm.run("start", "tspm.yaml", "--listen", "127.0.0.1:99999");
        assertThat(port.exit()).as(port.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.err()).contains("--listen's port must be in 0..65535", "was 99999").doesNotContain("runner ended");
        Launcher.Result remote = tspm.run("start", "tspm.yaml", "--listen", "0.0.0.0");
        assertThat(remote.exit()).as(remote.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(remote.err()).contains("add --allow-remote").doesNotContain("runner ended");
        Launcher.Result run = tspm.run("run", "tspm.yaml", "--listen", "localhost:70000");
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--listen's port must be in 0..65535");
        Launcher.Result stopAfter = tspm.run("run", "tspm.yaml", "--stop-after", "-1");
        assertThat(stopAfter.exit()).as(stopAfter.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(stopAfter.err()).contains("--stop-after must be 0 or more seconds, but was -1");
        assertThat(tspm.marked()).isEmpty();
        assertThat(dir.resolve(".tspm/port")).doesNotExist();
    }

    @Test
    void aMissingConfigIsSaidSo_notTakenForAProcessName() throws Exception {
        // No runner: a mistyped file is a config not found (1), not "no runner is running" (3).
        Launcher.Result start = tspm.run("start", "tspm.yml");
        assertThat(start.exit()).as(start.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(start.err()).contains("no config at " + dir.toRealPath().resolve("tspm.yml") + ": no such file")
                .doesNotContain("no tspm runner");
        Launcher.Result run = tspm.run("run", "nope.yaml", "--stop-after", "1");
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("nope.yaml: no such file or directory");
        // A process name still asks the runner, and says none runs.
        assertThat(tspm.run("start", "web").exit()).isEqualTo(ExitCodes.NO_RUNNER);
    }

    @Test
    void aFailedStartSaysWhyWithTheLastLines() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), String.join("\n",
                "processes:",
                "  - name: doomed",
                "    shell: 'echo \"cannot open the database\" >&2; exit 3'",
                "    restart: never",
                ""));
        Launcher.Result start = tspm.run("start", "broken.yaml");
        assertThat(start.exit()).as(start.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(start.err()).contains("doomed", "cannot open the database");
        assertThat(tspm.marked()).isEmpty();
    }
}
