package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tspm.examples.runner.client.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's commands beyond the end-to-end round: {@code dev} (a change restarts, once per
 * burst, ignored files do not), {@code apply} (an edited config: the plan, and only what changed
 * touched; kept by {@code save} through {@code start --resurrect}), {@code logs --follow} and the
 * event stream, the bash and fish completion scripts, and help for a mistyped command.
 */
@EnabledIfSystemProperty(named = "tspm.launcher", matches = ".+",
        disabledReason = "runs in the integration-test phase, once the launcher is assembled")
class RunnerCommandsLauncherTest {

    @TempDir
    Path dir;

    Launcher tspm;
    final List<Process> spawned = new ArrayList<>();

    @BeforeEach
    void setUp() {
        tspm = new Launcher(dir);
    }

    @AfterEach
    void noProcessLeftBehind() throws Exception {
        try {
            tspm.run("kill");
            for (Process p : spawned) {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
        } finally {
            spawned.forEach(Process::destroyForcibly);
            tspm.killLeftovers();
        }
    }

    @Test
    void dev_restartsOnAChange_oncePerBurst_notForIgnoredFiles_andPrefixesEveryLine() throws Exception {
        // The config in a directory of its own, the state and every file of the test outside it: only
        // what the test writes there is a change.
        Path app = Files.createDirectories(dir.resolve("app"));
        tspm.extraEnv.put("TSPM_HOME", dir.resolve("state").toString());
        Files.writeString(app.resolve("tspm.yaml"), String.join("\n",
                "processes:",
                "  - name: web",
                "    shell: 'echo \"web up\"; while true; do sleep 1; done'",
                "    stopTimeout: 2s",
                ""));
        Path out = dir.resolve("dev.out");
        Process dev = tspm.spawn(out, "dev", "app/tspm.yaml");
        spawned.add(dev);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(out))
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} web#0 \\| web up$")
                .contains("every process is started"));
        long first = pid("web", 0);

        for (int i = 0; i < 5; i++) { // one burst
            Files.writeString(app.resolve("app.txt"), "version " + i + "\n");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pid("web", 0) != first && running("web", 0));
        long second = pid("web", 0);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> pid("web", 0) == second); // a burst, one restart (the debounce is 500 ms)
        assertThat(Files.readString(out).lines().filter(l -> l.endsWith("web#0 | web up"))).hasSize(2);

        // Ignored, at the top of the watched directory too: logs, editor backups, VCS. Nothing restarts.
        Files.writeString(app.resolve("debug.log"), "x\n");
        Files.writeString(app.resolve("app.txt~"), "x\n");
        Files.writeString(Files.createDirectories(app.resolve(".git")).resolve("index"), "x\n");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> pid("web", 0) == second);

        dev.destroy(); // SIGTERM: as Ctrl-C, a clean stop
        assertThat(dev.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(dev.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("every process stopped gracefully");
    }

    @Test
    void apply_printsThePlan_touchesOnlyWhatChanged_andSaveKeepsItThroughResurrect() throws Exception {
        Files.writeString(dir.resolve("tspm.yaml"), config("echo v1", "old"));
        assertThat(tspm.run("start", "tspm.yaml").exit()).isZero();
        Map<String, Long> before = pids();

        Files.writeString(dir.resolve("tspm.yaml"), config("echo v2", "fresh"));
        Launcher.Result dry = tspm.run("apply", "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("plan (nothing done)", "~ worker: reload", "+ fresh: add", "- old: remove",
                "= web: unchanged");
        assertThat(pids()).isEqualTo(before);

        Launcher.Result apply = tspm.run("apply");
        assertThat(apply.exit()).as(apply.toString()).isZero();
        assertThat(apply.out()).doesNotContain("nothing done").contains("~ worker: reload", "+ fresh: add",
                "- old: remove", "= web: unchanged");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Long> after = pids();
            assertThat(after.keySet()).containsExactlyInAnyOrder("web#0", "web#1", "worker#0", "fresh#0");
            assertThat(after.get("web#0")).as("unchanged: not restarted").isEqualTo(before.get("web#0"));
            assertThat(after.get("web#1")).isEqualTo(before.get("web#1"));
            assertThat(after.get("worker#0")).as("changed: replaced").isNotNull().isNotEqualTo(before.get("worker#0"));
        });
        assertThat(tspm.run("logs", "worker", "--lines", "50").out()).contains("worker v2");
        assertThat(tspm.run("apply").out()).as("applied again: nothing to do").doesNotContain("~", "+ ", "- ");
        // A config that does not load is a failure (1), not a wrong command line (2), and says why.
        Files.writeString(dir.resolve("broken.yaml"), "processes:\n  - name: web\n    instances: lots\n");
        Launcher.Result broken = tspm.run("apply", "broken.yaml");
        assertThat(broken.exit()).as(broken.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(broken.err()).contains("broken.yaml:3:16: processes[0].instances:", "but was 'lots'");
        Launcher.Result missing = tspm.run("apply", "nope.yaml");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.err()).contains("nope.yaml: no such file or directory");
        assertThat(pids().keySet()).containsExactlyInAnyOrder("web#0", "web#1", "worker#0", "fresh#0");

        assertThat(tspm.run("save").exit()).isZero();
        assertThat(Files.readString(dir.resolve(".tspm/dump.yaml"))).as("the runner's own variables stay out")
                .doesNotContain("TSPM_METRICS_FILE");
        assertThat(tspm.run("kill").exit()).isZero();
        Launcher.Result resurrect = tspm.run("start", "--resurrect");
        assertThat(resurrect.exit()).as(resurrect.toString()).isZero();
        assertThat(pids().keySet()).containsExactlyInAnyOrder("web#0", "web#1", "worker#0", "fresh#0");
        assertThat(tspm.run("logs", "worker", "--lines", "50").out()).contains("worker v2");
    }

    @Test
    void logsFollow_streamsNewLines_theEventStreamTellsARestart_andBothEndWithTheRunner() throws Exception {
        Files.writeString(dir.resolve("tspm.yaml"), config("echo v1", "old"));
        assertThat(tspm.run("start", "tspm.yaml").exit()).isZero();

        Path followed = dir.resolve("follow.out");
        Process follow = tspm.spawn(followed, "logs", "worker", "--follow", "--lines", "1");
        spawned.add(follow);
        // Lines written after the command started: the counter runs past what the first line had.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Integer> counts = Files.readString(followed).lines().filter(l -> l.contains("worker#0 | n="))
                    .map(l -> Integer.parseInt(l.substring(l.indexOf("n=") + 2).trim())).toList();
            assertThat(counts).hasSizeGreaterThanOrEqualTo(3);
            assertThat(counts).isSorted();
        });
        assertThat(Files.readString(followed)).doesNotContain("web#");

        int port = Integer.parseInt(Files.readString(dir.resolve(".tspm/port")).trim());
        String token = Files.readString(dir.resolve(".tspm/token")).trim();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            // The stream is open once its first comment arrives: a restart after that is seen.
            for (String l = in.readLine(); !l.contains(": tspm events"); l = in.readLine()) {
                assertThat(l).isNotNull();
            }
            assertThat(tspm.run("restart", "worker").exit()).isZero();
            List<String> events = new ArrayList<>();
            for (String l = in.readLine(); l != null && !events.contains("process-ready worker"); l = in.readLine()) {
                if (l.startsWith("event: ")) {
                    String type = l.substring("event: ".length());
                    String data = in.readLine();
                    assertThat(data).startsWith("data: {");
                    Map<?, ?> e = (Map<?, ?>) Json.parse(data.substring("data: ".length()));
                    assertThat(e.get("type")).isEqualTo(type);
                    if (type.equals("process-ready")) {
                        // The webhooks' shape (EventJson): every field of the event record by its name.
                        assertThat(e.keySet().stream().map(String::valueOf)).contains("time", "process", "instanceId", "pid");
                    }
                    events.add(type + " " + e.get("process"));
                }
            }
            assertThat(events).containsSubsequence("process-stopping worker", "process-stopped worker",
                    "process-starting worker", "process-ready worker");
        }

        // flush <name> empties that process's files only, and its lines keep coming into them.
        Path workerLog = dir.resolve(".tspm/logs/worker-0.out.log");
        Path webLog = dir.resolve(".tspm/logs/web-0.out.log");
        Files.writeString(webLog, "kept\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(workerLog) > 0);
        Launcher.Result flushed = tspm.run("flush", "worker");
        assertThat(flushed.exit()).as(flushed.toString()).isZero();
        assertThat(flushed.out()).contains("emptied the log files of worker");
        assertThat(Files.readString(webLog)).contains("kept");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Files.readString(workerLog))
                .contains("n=").doesNotContain("worker v1"));
        assertThat(tspm.run("flush", "nosuch").exit()).isNotZero();
        // logs shows nothing from before the flush, as PM2's, which reads the emptied files.
        Launcher.Result logs = tspm.run("logs", "worker", "--lines", "200");
        assertThat(logs.out()).as(logs.toString()).doesNotContain("worker v1");
        // A target must be named: a bare stop must not stop everything.
        Launcher.Result bare = tspm.run("stop");
        assertThat(bare.exit()).as(bare.toString()).isEqualTo(2);
        assertThat(bare.err()).contains("TARGET");
        assertThat(running("web", 0)).isTrue();

        assertThat(tspm.run("kill").exit()).isZero();
        assertThat(follow.waitFor(20, TimeUnit.SECONDS)).as("the follow ends with the runner").isTrue();
        assertThat(follow.exitValue()).isZero();
    }

    @Test
    void completion_bashCompletesCommandsAndOptions() throws Exception {
        Launcher.Result script = tspm.run("completion", "bash");
        assertThat(script.exit()).as(script.toString()).isZero();
        Files.writeString(dir.resolve("tspm-completion.bash"), script.out());
        Process bash = new ProcessBuilder("bash", "-c", String.join("\n",
                "source ./tspm-completion.bash",
                "complete -p tspm",
                "words() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE};"
                        + " COMPREPLY=(); _complete_tspm; echo \"$*: ${COMPREPLY[*]}\"; }",
                "words tspm op",
                "words tspm res",
                "words tspm logs --l",
                "words tspm open --b"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("complete -o default -F _complete_tspm tspm", "tspm op: open",
                "tspm res: restart reset resurrect", "tspm logs --l: --lines", "tspm open --b: --browser");
    }

    @Test
    void completion_fishCompletesCommandsAliasesAndOptions_andAnOtherShellIsRefused() throws Exception {
        Launcher.Result script = tspm.run("completion", "fish");
        assertThat(script.exit()).as(script.toString()).isZero();
        assertThat(script.out()).contains(
                "complete -c tspm -n __fish_use_subcommand -a logs -d 'Prints the last lines of a process",
                "complete -c tspm -n '__fish_seen_subcommand_from logs' -s n -l lines -r -d 'How many lines",
                "complete -c tspm -n __fish_use_subcommand -a ls -d",
                "-n '__fish_seen_subcommand_from list ls status' -l json",
                "-n '__fish_seen_subcommand_from help' -a 'help run dev start list");
        Path fish = Path.of("/usr/bin/fish");
        if (Files.isExecutable(fish)) { // the script as fish reads it (apt-get install fish)
            Path file = Files.writeString(dir.resolve("tspm.fish"), script.out());
            Process p = new ProcessBuilder(fish.toString(), "--no-config", "-c",
                    "source " + file + "; complete -C 'tspm lo'; complete -C 'tspm logs --li'")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as(out).contains("logs\tPrints the last lines", "--lines");
        }
        Launcher.Result tcsh = tspm.run("completion", "tcsh");
        assertThat(tcsh.exit()).isEqualTo(2);
        assertThat(script.out()).doesNotContain("__runner"); // hidden
        assertThat(tcsh.err()).contains("no completion for the shell 'tcsh': bash, zsh or fish");
    }

    @Test
    void help_showsACommandsHelp_andNamesTheNearestForAMistypedOne() throws Exception {
        Launcher.Result scale = tspm.run("help", "scale");
        assertThat(scale.exit()).as(scale.toString()).isZero();
        assertThat(scale.out()).contains("Usage: tspm scale", "NAME N");
        Launcher.Result typo = tspm.run("help", "lsit");
        assertThat(typo.exit()).as(typo.toString()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown command 'lsit'", "did you mean 'list'");
        assertThat(typo.out()).isEmpty();
    }

    /** web (2 instances, never changed), worker (its command varies), and one more process. */
    private static String config(String workerMark, String third) {
        String mark = workerMark.substring("echo ".length());
        return String.join("\n",
                "processes:",
                "  - name: web",
                "    shell: 'while true; do sleep 1; done'",
                "    instances: 2",
                "    stopTimeout: 2s",
                "  - name: worker",
                "    shell: 'echo \"worker " + mark + "\"; n=0; while true; do n=$((n+1)); echo \"n=$n\"; sleep 0.3;"
                        + " done'",
                "    stopTimeout: 2s",
                "  - name: " + third,
                "    shell: 'while true; do sleep 1; done'",
                "    stopTimeout: 2s",
                "");
    }

    private Map<String, Long> pids() throws Exception {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Object o : (List<?>) Json.parse(tspm.run("jlist").out())) {
            Map<?, ?> i = (Map<?, ?>) o;
            pids.put(i.get("name") + "#" + i.get("id"), (Long) i.get("pid"));
        }
        return pids;
    }

    private long pid(String name, int id) throws Exception {
        Long pid = pids().get(name + "#" + id);
        return pid == null ? -1 : pid;
    }

    private boolean running(String name, int id) throws Exception {
        for (Object o : (List<?>) Json.parse(tspm.run("jlist").out())) {
            Map<?, ?> i = (Map<?, ?>) o;
            if (name.equals(i.get("name")) && Long.valueOf(id).equals(i.get("id"))) {
                return "running".equals(i.get("status"));
            }
        }
        return false;
    }
}
