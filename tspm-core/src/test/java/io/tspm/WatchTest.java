package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.testsupport.Await;
import io.tspm.testing.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch restarts with real files and real children; the debounce runs on a manual scheduler, so
 * the tests say exactly when a restart may come and when it must. The file events are real: a
 * test waits (in real time) until the watch has armed its debounce timer, and a change the watch
 * sees late can only postpone a restart, never bring one forward.
 */
class WatchTest {

    /** Long, so that the 10 ms steps which move real processes along never reach it by accident. */
    private static final Duration DEBOUNCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ManualScheduler time = new ManualScheduler();

    private Supervisor.Builder manual() {
        return Supervisor.builder().scheduler(time).ticker(time).sampleInterval(Duration.ZERO);
    }

    private Supervisor watching(Path src) {
        return manual()
                .addProcess("app", p -> p.command("sleep", "600").instances(2).readyAfter(Duration.ZERO)
                        .watch(src).watchIgnore("*.tmp", "cache/**").watchDebounce(DEBOUNCE))
                .build();
    }

    /**
     * Saves {@code file} as an editor that writes a copy and renames it does: one event, where a
     * write in place makes several that may reach the watch on both sides of a debounce the test
     * lets pass in between.
     */
    private void save(Path file, String content) throws java.io.IOException {
        Path staged = Files.writeString(dir.resolve("staged-" + file.getFileName()), content);
        Files.move(staged, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static int restarts(Supervisor s, String process) {
        return (int) s.group(process).instance(0).exitHistory().stream().filter(ExitRecord::requested).count();
    }

    private static boolean runningWithNewPid(Supervisor s, String process, long oldPid) {
        InstanceSnapshot snap = s.describe(process).get(0);
        return snap.state() == InstanceState.RUNNING && snap.pid().orElse(oldPid) != oldPid;
    }

    private static long pid(Supervisor s, String process) {
        return s.describe(process).get(0).pid().orElseThrow();
    }

    /** Whether a debounce timer of {@code DEBOUNCE} from now is armed. */
    private boolean armed() {
        return time.dueIn().contains(DEBOUNCE);
    }

    /** Waits (real time) until a debounce timer of {@code DEBOUNCE} from now is armed. */
    private void awaitArmed() {
        awaitArmed(1);
    }

    /** Waits (real time) until {@code n} debounce timers of {@code DEBOUNCE} from now are armed. */
    private void awaitArmed(int n) {
        await().until(() -> time.dueIn().stream().filter(DEBOUNCE::equals).count() == n);
    }

    /**
     * Waits until the watch has taken in every event of the writes so far: armed, and then, 1 ms of
     * manual time later, not armed again from that moment for 300 ms of real time (an event handled
     * late would arm a new timer a whole debounce from now). Returns with 1 ms of the debounce gone.
     */
    private void awaitQuietAndArmed() {
        for (int attempt = 0; ; attempt++) {
            assertThat(attempt).as("the watch went quiet").isLessThan(50);
            awaitArmed();
            time.advance(Duration.ofMillis(1));
            try {
                Await.within(Duration.ofSeconds(1)).during(Duration.ofMillis(300)).until(() -> !armed());
                return;
            } catch (org.awaitility.core.ConditionTimeoutException rearmed) {
                // an event came after the first arming: wait again
            }
        }
    }

    /** Lets the armed debounce pass, then moves time along until {@code process} has restarted. */
    private void debounceAndAwaitRestart(Supervisor s, String process, long pid) {
        time.advance(DEBOUNCE);
        advanceUntil(() -> runningWithNewPid(s, process, pid));
    }

    /** No restart has begun: the instance runs, with the same pid, and nothing was asked of it. */
    private static void assertNotRestarted(Supervisor s, String process, long pid, int restarts) {
        InstanceSnapshot snap = s.describe(process).get(0);
        assertThat(snap.state()).as("%s", snap).isEqualTo(InstanceState.RUNNING);
        assertThat(snap.pid()).hasValue(pid);
        assertThat(restarts(s, process)).isEqualTo(restarts);
    }

    /**
     * Advances 10 ms of manual time per poll until the condition holds, bounded by real time: the
     * children's exits and spawns take real time.
     */
    private void advanceUntil(BooleanSupplier condition) {
        await().until(() -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            time.advance(Duration.ofMillis(10));
            return condition.getAsBoolean();
        });
    }

    /** Closes on another thread while time moves, so stop timeouts on the manual scheduler can pass. */
    private void close(Supervisor s) {
        time.advanceDuring(s::close, Duration.ofMillis(10));
    }

    @Test
    void aChangeRestartsOnlyWhenTheDebounceHasPassedAndAChangeInsideItPostponesIt() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Path file = Files.writeString(src.resolve("a.txt"), "v0");
        Supervisor s = watching(src);
        try {
            s.start();
            CompletableFuture<StopOutcome> stopped = s.group("app").instance(1).stopAsync();
            advanceUntil(stopped::isDone);
            long pid = pid(s, "app");

            save(file, "v1");
            awaitArmed();
            time.advance(DEBOUNCE.dividedBy(2));
            assertNotRestarted(s, "app", pid, 0);

            save(file, "v2"); // inside the window: it starts again from here
            awaitArmed();
            time.advance(DEBOUNCE.dividedBy(2).plusMillis(1)); // past the first change's window
            assertNotRestarted(s, "app", pid, 0);

            time.advance(DEBOUNCE.dividedBy(2)); // the second change's window ends
            advanceUntil(() -> runningWithNewPid(s, "app", pid));
            assertThat(restarts(s, "app")).isEqualTo(1);
            // Quiet now: however long it stays so, no second restart follows.
            long newPid = pid(s, "app");
            time.advance(DEBOUNCE.multipliedBy(10));
            assertNotRestarted(s, "app", newPid, 1);
            assertThat(s.describe("app").get(1).state()).isEqualTo(InstanceState.STOPPED);
        } finally {
            close(s);
        }
    }

    @Test
    void aBurstOfAThousandChangesRestartsOnceAndOnlyTheRunningInstances() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Supervisor s = watching(src);
        try {
            s.start();
            CompletableFuture<StopOutcome> stopped = s.group("app").instance(1).stopAsync();
            advanceUntil(stopped::isDone);
            long pid = pid(s, "app");
            for (int i = 0; i < 1000; i++) {
                Files.writeString(src.resolve("f" + (i % 50) + ".txt"), "v" + i);
            }
            awaitQuietAndArmed(); // 1 ms of the debounce has passed
            time.advance(DEBOUNCE.minusMillis(2));
            assertNotRestarted(s, "app", pid, 0);
            time.advance(Duration.ofMillis(1));
            advanceUntil(() -> runningWithNewPid(s, "app", pid));
            long newPid = pid(s, "app");
            time.advance(DEBOUNCE.multipliedBy(10));
            assertNotRestarted(s, "app", newPid, 1);
            assertThat(s.describe("app").get(1).state()).isEqualTo(InstanceState.STOPPED);
            assertThat(s.describe("app").get(1).restarts()).isZero();
        } finally {
            close(s);
        }
    }

    @Test
    void ignoredChangesDoNotRestartButChangesInNewSubdirectoriesDo() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Files.createDirectories(src.resolve("cache"));
        Supervisor s = watching(src);
        try {
            s.start();
            Files.writeString(src.resolve("build.tmp"), "x");
            Files.writeString(src.resolve("cache").resolve("blob"), "x");
            // Ignored changes arm nothing (real time: the events are real).
            Await.within(Duration.ofSeconds(5)).during(Duration.ofMillis(500)).until(() -> !armed());
            long first = pid(s, "app");
            Path sub = Files.createDirectory(src.resolve("new"));
            // The directory's own creation restarts too.
            awaitArmed();
            debounceAndAwaitRestart(s, "app", first);
            long second = pid(s, "app");
            // Then a file inside it, once it is watched: write again while the write came too early.
            for (int attempt = 0; !armed(); attempt++) {
                assertThat(attempt).as("the new directory is watched").isLessThan(10);
                Files.writeString(sub.resolve("Main.java"), "class Main {} // " + attempt);
                try {
                    Await.within(Duration.ofSeconds(2)).until(this::armed);
                } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                    // the write came before the new directory was registered
                }
            }
            debounceAndAwaitRestart(s, "app", second);
            assertThat(restarts(s, "app")).isEqualTo(2);
        } finally {
            close(s);
        }
    }

    @Test
    void aWatchedFileWatchesOnlyThatFileAndIgnoredNewDirectoriesStayIgnored() throws Exception {
        Path config = Files.writeString(dir.resolve("app.yml"), "a: 1");
        Path sibling = dir.resolve("other.txt");
        Path src = Files.createDirectory(dir.resolve("src"));
        Supervisor s = manual()
                .addProcess("app", p -> p.command("sleep", "600").readyAfter(Duration.ZERO)
                        .watch(config).watchDebounce(DEBOUNCE))
                .addProcess("web", p -> p.command("sleep", "600").readyAfter(Duration.ZERO)
                        .watch(src).watchIgnore("node_modules").watchDebounce(DEBOUNCE))
                .build();
        try {
            s.start();
            long pid = pid(s, "app");
            Files.writeString(sibling, "x");
            Path modules = Files.createDirectory(src.resolve("node_modules"));
            Files.writeString(modules.resolve("x.js"), "x");
            Await.within(Duration.ofSeconds(5)).during(Duration.ofMillis(500)).until(() -> !armed());
            Files.writeString(config, "a: 2");
            awaitArmed();
            debounceAndAwaitRestart(s, "app", pid);
            assertThat(restarts(s, "app")).isEqualTo(1);
            assertThat(s.group("web").instance(0).exitHistory()).isEmpty();
        } finally {
            close(s);
        }
    }

    @Test
    void removingOneOfTwoProcessesWatchingTheSameDirectoryLeavesTheOtherWatchingIt() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Path sub = Files.createDirectory(src.resolve("sub"));
        Supervisor s = manual()
                .addProcess("a", p -> p.command("sleep", "600").readyAfter(Duration.ZERO).watch(src)
                        .watchDebounce(DEBOUNCE))
                .addProcess("b", p -> p.command("sleep", "600").readyAfter(Duration.ZERO).watch(src)
                        .watchDebounce(DEBOUNCE))
                .addProcess("c", p -> p.command("sleep", "600").readyAfter(Duration.ZERO).watch(sub)
                        .watchDebounce(DEBOUNCE))
                .build();
        try {
            s.start();
            CompletableFuture<Void> removed = CompletableFuture.runAsync(() -> s.remove("a"));
            advanceUntil(removed::isDone);
            removed.join();
            long b = pid(s, "b");
            long c = pid(s, "c");
            Files.writeString(sub.resolve("x.txt"), "1"); // under both b's and c's roots
            awaitArmed(2); // b's and c's
            time.advance(DEBOUNCE);
            advanceUntil(() -> runningWithNewPid(s, "b", b) && runningWithNewPid(s, "c", c));

            CompletableFuture<Void> removedB = CompletableFuture.runAsync(() -> s.remove("b"));
            advanceUntil(removedB::isDone);
            removedB.join();
            long c2 = pid(s, "c");
            Files.writeString(sub.resolve("x.txt"), "2");
            awaitArmed();
            debounceAndAwaitRestart(s, "c", c2);
            assertThat(restarts(s, "c")).isEqualTo(2);
        } finally {
            close(s);
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
