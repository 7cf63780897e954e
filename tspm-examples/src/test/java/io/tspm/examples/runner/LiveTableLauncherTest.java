package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tspm run} on a real pseudo-terminal (tmux), read back from the screen as a person sees
 * it: the live table with its colours and keys, a key that restarts the selected instance, and
 * {@code q} that stops everything cleanly.
 */
@EnabledIfSystemProperty(named = "tspm.launcher", matches = ".+",
        disabledReason = "runs in the integration-test phase, once the launcher is assembled")
class LiveTableLauncherTest {

    @TempDir
    Path dir;

    Launcher tspm;
    String socket;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/tmux").canExecute(),
                "the live table is tested through tmux: install the Debian package tmux");
        tspm = new Launcher(dir);
        socket = "tspm-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Files.writeString(dir.resolve("tspm.yaml"), String.join("\n",
                "processes:",
                "  - name: web",
                "    shell: 'while true; do echo \"web $TSPM_INSTANCE_ID tick\"; sleep 0.5; done'",
                "    instances: 2",
                "    basePort: 19580",
                "  - name: crashy",
                "    shell: 'echo crashing soon; sleep 1; exit 1'",
                "    restart: always",
                "    minRestartDelay: 200ms",
                ""));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tspm == null) {
            return;
        }
        tmux("kill-server");
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
        } finally {
            tspm.killLeftovers();
        }
    }

    /** {@code tspm run tspm.yaml} on a 110x30 tmux screen, after {@code shellPrefix}; its exit code goes to exit.txt. */
    private void runInTmux(String shellPrefix) throws Exception {
        String command = shellPrefix + "cd '" + dir + "' && env TSPM_E2E_MARK=" + tspm.mark + " '" + Launcher.path()
                + "' run tspm.yaml; echo \"EXIT=$?\" > exit.txt; sleep 600";
        tmux("new-session", "-d", "-x", "110", "-y", "30", command);
    }

    /** The runner's exit, as the shell wrote it: {@code EXIT=n}. */
    private String awaitExit() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(dir.resolve("exit.txt")).exists());
        return Files.readString(dir.resolve("exit.txt")).trim();
    }

    @Test
    void liveTable_showsEveryInstanceInColour_restartsOnAKey_andStopsCleanlyOnQ() throws Exception {
        runInTmux("");

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(screen())
                .contains("NAME", "STATUS", "RESTARTS", "READY", "web", "crashy", "q quit", "r restart")
                .containsPattern("web +0 +running")
                .containsPattern("web +1 +running"));
        assertThat(screenWithColours()).as("the status in colour").contains("\u001b[32mrunning")
                .doesNotContain("\u001b[2J");

        // A crash that is survived: its restarts column counts up while the table is live.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(screen())
                .containsPattern("crashy +0 +\\S+ +\\S+ +- +[1-9]")
                .contains("crashy#0 exited: exit code 1"));

        long pidBefore = pidOf(screen(), "web", 1);
        tmux("send-keys", "Down");
        tmux("send-keys", "r");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String s = screen();
            assertThat(s).contains("restart web#1");
            assertThat(pidOf(s, "web", 1)).isNotEqualTo(pidBefore);
        });

        tmux("send-keys", "q");
        assertThat(awaitExit()).isEqualTo("EXIT=0");
        assertThat(screen()).contains("every process stopped gracefully", "crashy#0 exited");
    }

    @Test
    void liveTable_ctrlC_stopsEveryProcessCleanly_andLeavesNoPortFile() throws Exception {
        // The shell traps SIGINT (the terminal sends it to the whole foreground group) so it lives to
        // write the runner's exit code.
        runInTmux("trap : INT; ");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(screen())
                .contains("q quit", "every process is started")
                .containsPattern("web +1 +running"));

        tmux("send-keys", "C-c");
        assertThat(awaitExit()).as(screen()).isEqualTo("EXIT=0");
        assertThat(screen()).contains("every process stopped gracefully");
        assertThat(dir.resolve(".tspm/port")).doesNotExist();
    }

    @Test
    void monit_attachedToADetachedRunner_hasTheKeys_andQuitLeavesTheRunnerRunning() throws Exception {
        Launcher.Result start = tspm.run("start", "tspm.yaml");
        assertThat(start.exit()).as(start.toString()).isZero();
        try {
            String command = "cd '" + dir + "' && env TSPM_E2E_MARK=" + tspm.mark + " '" + Launcher.path()
                    + "' monit; echo \"EXIT=$?\" > monit-exit.txt; sleep 600";
            tmux("new-session", "-d", "-x", "110", "-y", "30", command);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(screen())
                    .contains("tspm monit", "NAME", "RESTARTS", "r restart", "+/- scale", "q quit")
                    .containsPattern("> web +0 +running")
                    .containsPattern("web +1 +running")
                    .contains("web 0 tick"));

            long pidBefore = pidOf(screen(), "web", 1);
            tmux("send-keys", "Down");
            tmux("send-keys", "r");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String s = screen();
                assertThat(s).contains("restarting web#1").containsPattern("> web +1 ");
                assertThat(pidOf(s, "web", 1)).isPositive().isNotEqualTo(pidBefore);
            });

            tmux("send-keys", "q");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dir.resolve("monit-exit.txt")).exists());
            assertThat(Files.readString(dir.resolve("monit-exit.txt")).trim()).isEqualTo("EXIT=0");
            Launcher.Result list = tspm.run("list");
            assertThat(list.exit()).as("the runner runs on").isZero();
            assertThat(list.out()).containsPattern("web +1 +running");
        } finally {
            tspm.run("kill");
        }
    }

    private static long pidOf(String screen, String name, int id) {
        for (String line : screen.lines().toList()) {
            String[] cells = line.replace(">", " ").trim().split(" +");
            if (cells.length > 3 && cells[0].equals(name) && cells[1].equals(Integer.toString(id))) {
                return cells[3].equals("-") ? -1 : Long.parseLong(cells[3]);
            }
        }
        return -2;
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p");
    }

    private String screenWithColours() throws Exception {
        return tmux("capture-pane", "-p", "-e");
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
