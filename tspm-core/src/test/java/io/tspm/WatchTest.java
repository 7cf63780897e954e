package io.tspm;

import static io.tspm.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch restarts with real files and real children. */
class WatchTest {

    @TempDir
    Path dir;

    private Supervisor watching(Path src) {
        return Supervisor.builder()
                .addProcess("app", p -> p.command("sleep", "600").instances(2).readyAfter(Duration.ZERO)
                        .watch(src).watchIgnore("*.tmp", "cache/**").watchDebounce(Duration.ofMillis(300)))
                .build();
    }

    private static int restarts(Supervisor s, int id) {
        return (int) s.group("app").instance(id).exitHistory().stream().filter(ExitRecord::requested).count();
    }

    @Test
    void aBurstOfAThousandChangesRestartsOnceAndOnlyTheRunningInstances() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        try (Supervisor s = watching(src)) {
            s.start();
            s.group("app").instance(1).stop();
            for (int i = 0; i < 1000; i++) {
                Files.writeString(src.resolve("f" + (i % 50) + ".txt"), "v" + i);
            }
            await().until(() -> restarts(s, 0) == 1 && s.describe("app").get(0).state() == InstanceState.RUNNING);
            // Quiet now: no second restart follows the burst.
            Await.within(Duration.ofSeconds(5)).during(Duration.ofMillis(900)).until(() -> restarts(s, 0) == 1);
            assertThat(s.describe("app").get(1).state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    @Test
    void ignoredChangesDoNotRestartButChangesInNewSubdirectoriesDo() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Files.createDirectories(src.resolve("cache"));
        try (Supervisor s = watching(src)) {
            s.start();
            Files.writeString(src.resolve("build.tmp"), "x");
            Files.writeString(src.resolve("cache").resolve("blob"), "x");
            Await.within(Duration.ofSeconds(5)).during(Duration.ofMillis(900)).until(() -> restarts(s, 0) == 0);
            Path sub = Files.createDirectory(src.resolve("new"));
            // The directory's own creation restarts too; then a file inside it, once it is watched.
            await().until(() -> restarts(s, 0) == 1 && s.describe("app").get(0).state() == InstanceState.RUNNING);
            // Write once, then let the debounce pass; again only if the directory was not watched yet.
            for (int attempt = 0; attempt < 10 && restarts(s, 0) < 2; attempt++) {
                Files.writeString(sub.resolve("Main.java"), "class Main {} // " + attempt);
                try {
                    Await.within(Duration.ofSeconds(2)).until(() -> restarts(s, 0) == 2);
                } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                    // the write may have come before the new directory was registered
                }
            }
            assertThat(restarts(s, 0)).isEqualTo(2);
        }
    }

    @Test
    void aWatchedFileWatchesOnlyThatFileAndIgnoredNewDirectoriesStayIgnored() throws Exception {
        Path config = Files.writeString(dir.resolve("app.yml"), "a: 1");
        Path sibling = dir.resolve("other.txt");
        Path src = Files.createDirectory(dir.resolve("src"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("app", p -> p.command("sleep", "600").instances(2).readyAfter(Duration.ZERO)
                        .watch(config).watchDebounce(Duration.ofMillis(200)))
                .addProcess("web", p -> p.command("sleep", "600").readyAfter(Duration.ZERO)
                        .watch(src).watchIgnore("node_modules").watchDebounce(Duration.ofMillis(200)))
                .build()) {
            s.start();
            Files.writeString(sibling, "x");
            Path modules = Files.createDirectory(src.resolve("node_modules"));
            Files.writeString(modules.resolve("x.js"), "x");
            Await.within(Duration.ofSeconds(5)).during(Duration.ofMillis(800)).until(() -> restarts(s, 0) == 0
                    && s.group("web").instance(0).exitHistory().isEmpty());
            Files.writeString(config, "a: 2");
            await().until(() -> restarts(s, 0) == 1);
        }
    }

    @Test
    void watchingItsOwnLogDirectoryIsRefusedUnlessIgnored() {
        Path logs = dir.resolve("logs");
        assertThatThrownBy(() -> Supervisor.builder().logDirectory(logs)
                .addProcess("loop", p -> p.command("sleep", "1").watch(dir)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("process 'loop' watches " + dir.toAbsolutePath().normalize())
                .hasMessageContaining("which holds its own log directory");
        try (Supervisor ok = Supervisor.builder().logDirectory(logs)
                .addProcess("fine", p -> p.command("sleep", "1").autostart(false).watch(dir).watchIgnore("logs/**"))
                .build()) {
            assertThat(ok.groups()).hasSize(1);
        }
        assertThatThrownBy(() -> ProcessSpec.builder("x").watchDebounce(Duration.ZERO))
                .hasMessage("watchDebounce must be positive, but was 0 ms");
    }
}
