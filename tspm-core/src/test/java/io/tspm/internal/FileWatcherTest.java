package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testsupport.Await;
import io.tspm.testing.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher on its own, with real directories and the debounce on manual time: watches of
 * different processes that share directories (and so the JDK's watch keys), cancelled and
 * registered at the same time.
 */
class FileWatcherTest {

    private static final Duration DEBOUNCE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final ManualScheduler time = new ManualScheduler();
    private final Engine engine = new Engine("watch-test", Clock.systemUTC(), time, time, false, false, null,
            Duration.ZERO);
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        threads.shutdownNow();
        engine.close();
    }

    /**
     * Puts a file in {@code in} and lets the debounce pass once a watch has seen it. The file is
     * written beside the watched tree and moved in whole: one event, where a write in place makes
     * several (create, modify, close) that may reach the watch on both sides of the debounce.
     */
    private void changeAndFire(Path in, String name) throws Exception {
        Path staged = Files.writeString(dir.resolve("staged-" + name), name);
        Files.move(staged, in.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Await.within(Duration.ofSeconds(5)).alias("the watch saw " + name).until(() -> !time.pendingDelays().isEmpty());
        time.advance(DEBOUNCE);
    }

    @Test
    void cancellingOneWatchWhileAnotherRegistersTheSameDirectoryLeavesTheOtherWatching() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared/sub"));
        FileWatcher watcher = engine.watcher;
        AtomicInteger fired = new AtomicInteger();
        for (int round = 0; round < 200; round++) {
            FileWatcher.Watch a = watcher.watch("a", List.of(dir.resolve("shared")), List.of(), DEBOUNCE, () -> {
                throw new AssertionError("a cancelled watch fired");
            });
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                await(together);
                a.cancel();
            }, threads);
            CompletableFuture<FileWatcher.Watch> b = CompletableFuture.supplyAsync(() -> {
                await(together);
                try {
                    return watcher.watch("b", List.of(dir.resolve("shared")), List.of(), DEBOUNCE,
                            fired::incrementAndGet);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, threads);
            cancel.get();
            FileWatcher.Watch watchingB = b.get();
            int before = fired.get();
            Files.writeString(shared.resolve("f" + round), "f" + round);
            // The change reaches the watch thread in its own time; each advance lets a debounce that is due run.
            Await.within(Duration.ofSeconds(5)).alias("round " + round + ": b still watches the shared directory")
                    .until(() -> {
                        time.advance(DEBOUNCE);
                        return fired.get() > before;
                    });
            assertThat(fired.get()).as("round %d: one restart for one change", round).isEqualTo(before + 1);
            watchingB.cancel();
        }
        assertThat(watcher.watchedDirectories()).isZero();
    }

    @Test
    void overlappingWatchesShareDirectoriesAndTheLastToLeaveGivesThemBack() throws Exception {
        Path subDir = Files.createDirectories(dir.resolve("root/sub"));
        Path file = Files.writeString(dir.resolve("root/app.yml"), "a: 1");
        FileWatcher watcher = engine.watcher;
        AtomicInteger tree = new AtomicInteger();
        AtomicInteger sub = new AtomicInteger();
        AtomicInteger single = new AtomicInteger();
        FileWatcher.Watch a = watcher.watch("tree", List.of(dir.resolve("root")), List.of(), DEBOUNCE,
                tree::incrementAndGet);
        FileWatcher.Watch b = watcher.watch("sub", List.of(subDir), List.of(), DEBOUNCE, sub::incrementAndGet);
        FileWatcher.Watch c = watcher.watch("file", List.of(file), List.of(), DEBOUNCE, single::incrementAndGet);
        assertThat(watcher.watchedDirectories()).isEqualTo(2); // root and root/sub, each once

        a.cancel();
        assertThat(watcher.watchedDirectories()).as("root stays for the file, sub for its watch").isEqualTo(2);
        changeAndFire(subDir, "x.txt");
        assertThat(List.of(tree.get(), sub.get(), single.get())).containsExactly(0, 1, 0);
        changeAndFire(file.getParent(), "app.yml");
        assertThat(List.of(tree.get(), sub.get(), single.get())).containsExactly(0, 1, 1);

        b.cancel();
        assertThat(watcher.watchedDirectories()).isEqualTo(1);
        c.cancel();
        assertThat(watcher.watchedDirectories()).isZero();
    }

    @Test
    void aLeadingDoubleStarMatchesAtTheRootToo_asInGitignore() throws Exception {
        Path root = Files.createDirectories(dir.resolve("app"));
        FileWatcher.Watch w = engine.watcher.watch("dev", List.of(root),
                List.of("**/*.log", "**/*~", "**/node_modules/**", ".git/**", "cache"), DEBOUNCE, () -> { });
        try {
            for (String ignored : List.of("debug.log", "sub/deep/debug.log", "app.txt~", "src/app.txt~",
                    "node_modules/x/index.js", "web/node_modules/x.js", ".git/index", "cache", "cache/a/b")) {
                assertThat(w.ignored(root.resolve(ignored))).as(ignored).isTrue();
            }
            for (String counted : List.of("app.txt", "src/app.log.txt", "logs", "src/.git", "node_modules.txt")) {
                assertThat(w.ignored(root.resolve(counted))).as(counted).isFalse();
            }
        } finally {
            w.cancel();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
