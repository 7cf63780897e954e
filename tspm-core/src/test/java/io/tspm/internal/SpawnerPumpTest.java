package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.LogSettings;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessSpec;
import io.tspm.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link Spawner#pump} on the path this JVM takes (on the native one, every pipe is read by the one
 * output loop): when a stream ends, and that it leaves no descriptor behind.
 */
@EnabledOnOs(OS.LINUX)
class SpawnerPumpTest {

    private final Engine engine = new Engine("pipes-test", Clock.systemUTC(), Ticker.system(), null, false, false, null,
            Duration.ZERO, Duration.ofSeconds(60), true);
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(Process::destroyForcibly);
        engine.close();
    }

    private Process start(String script) throws IOException {
        Process p = engine.spawner.start(new ProcessBuilder("sh", "-c", script));
        started.add(p);
        return p;
    }

    private static InstanceOutput output(Engine e) {
        ProcessSpec spec = ProcessSpec.builder("p").command("x")
                .logs(LogSettings.builder().stdoutLevel(null).stderrLevel(null).build()).build();
        return new InstanceOutput(e, spec, 0);
    }

    private CompletableFuture<Void> pump(Process p, OutputStreamKind kind, InstanceOutput out) {
        return engine.spawner.pump(p, kind, out.writer(kind, p.pid()), 1024, "test-" + kind);
    }

    @Test
    void aStreamEndsWhenTheLastWriterClosesItNotWhenTheChildExits() throws Exception {
        // The child exits at once; its background grandchild holds the pipe until it has written.
        // The native path promises this; the JDK path keeps only what was written before the exit.
        Path go = Files.createTempFile("go", "");
        Files.delete(go);
        Path seen = Path.of(go + ".seen");
        Process p = start("(while [ ! -e " + go + " ]; do sleep 0.01; done; : > " + seen + "; echo late) & echo early");
        InstanceOutput out = output(engine);
        CompletableFuture<Void> stdout = pump(p, OutputStreamKind.STDOUT, out);
        pump(p, OutputStreamKind.STDERR, out);
        assertThat(p.waitFor()).isZero();
        await().until(() -> out.lastTexts(10).equals(List.of("early")));
        if (engine.spawner.readsOnSharedThread()) {
            assertThat(stdout).isNotDone();
        }
        Files.createFile(go);
        await().until(stdout::isDone);
        if (engine.spawner.readsOnSharedThread()) {
            assertThat(out.lastTexts(10)).containsExactly("early", "late");
        } else {
            // The JDK takes what is in the pipe when the child exits and closes it, unless its
            // reader is inside a read at that moment: "late" may or may not come (README, Launch paths).
            assertThat(out.lastTexts(10)).startsWith("early");
        }
        await().until(() -> Files.exists(seen)); // the grandchild saw the file: it ends now
        Files.delete(seen);
        Files.delete(go);
    }

    @Test
    void aChildThatClosesItsStdoutEndsThatStreamAndKeepsTheOther() throws Exception {
        Path go = Files.createTempFile("go", "");
        Files.delete(go);
        Process p = start("echo out; exec 1>&-; echo err1 >&2; while [ ! -e " + go + " ]; do sleep 0.01; done;"
                + " echo err2 >&2; exec sleep 300");
        InstanceOutput out = output(engine);
        CompletableFuture<Void> stdout = pump(p, OutputStreamKind.STDOUT, out);
        CompletableFuture<Void> stderr = pump(p, OutputStreamKind.STDERR, out);
        await().until(stdout::isDone);
        // two pipes: which of "out" and "err1" was read first is the scheduler's choice
        await().until(() -> java.util.Set.copyOf(out.lastTexts(10)).equals(java.util.Set.of("out", "err1")));
        Files.createFile(go);
        await().until(() -> out.lastTexts(10).size() == 3 && out.lastTexts(10).get(2).equals("err2"));
        assertThat(p.isAlive()).isTrue();
        assertThat(stderr).isNotDone();
        p.destroyForcibly();
        await().until(stderr::isDone);
        Files.delete(go);
    }

    @Test
    void everyPipeIsClosedAtItsEnd() throws Exception {
        InstanceOutput out = output(engine);
        // warm up: the loop's own descriptors (epoll, eventfd) and the JDK's lazily opened files count as before
        Process warm = start("echo warm");
        CompletableFuture.allOf(pump(warm, OutputStreamKind.STDOUT, out), pump(warm, OutputStreamKind.STDERR, out))
                .get();
        assertThat(warm.waitFor()).isZero();
        long before = openFds();
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Process p = start("echo out-" + i + "; echo err-" + i + " >&2");
            ends.add(pump(p, OutputStreamKind.STDOUT, out));
            ends.add(pump(p, OutputStreamKind.STDERR, out));
        }
        CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get();
        for (Process p : started) {
            p.waitFor();
        }
        await().untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(before));
        assertThat(out.lastTexts(100)).containsAll(IntStream.range(0, 20).mapToObj(i -> "out-" + i).toList())
                .containsAll(IntStream.range(0, 20).mapToObj(i -> "err-" + i).toList());
    }

    @Test
    void closingTheSupervisorClosesThePipesItStillReads() throws Exception {
        try (Engine other = new Engine("pipes-close", Clock.systemUTC(), Ticker.system(), null, false, false, null,
                Duration.ZERO, Duration.ofSeconds(60), true)) {
            Process warm = other.spawner.start(new ProcessBuilder("sh", "-c", "echo warm"));
            InstanceOutput out = output(other);
            CompletableFuture.allOf(
                    other.spawner.pump(warm, OutputStreamKind.STDOUT, out.writer(OutputStreamKind.STDOUT, warm.pid()),
                            1024, "warm-out"),
                    other.spawner.pump(warm, OutputStreamKind.STDERR, out.writer(OutputStreamKind.STDERR, warm.pid()),
                            1024, "warm-err")).get();
            warm.waitFor();
        }
        long before = openFds();
        Engine e = new Engine("pipes-close", Clock.systemUTC(), Ticker.system(), null, false, false, null,
                Duration.ZERO, Duration.ofSeconds(60), true);
        // a child that left a grandchild holding its pipe: the supervisor closes with the pipe still open
        Process p = e.spawner.start(new ProcessBuilder("sh", "-c", "sleep 300 & echo $!"));
        InstanceOutput out = output(e);
        CompletableFuture<Void> stdout = e.spawner.pump(p, OutputStreamKind.STDOUT,
                out.writer(OutputStreamKind.STDOUT, p.pid()), 1024, "close-out");
        e.spawner.pump(p, OutputStreamKind.STDERR, out.writer(OutputStreamKind.STDERR, p.pid()), 1024, "close-err");
        await().until(() -> out.lastTexts(1).size() == 1);
        long grandchild = Long.parseLong(out.lastTexts(1).get(0));
        assertThat(p.waitFor()).isZero();
        try {
            e.close();
            if (e.spawner.name().equals("native")) {
                await().until(stdout::isDone); // the loop ended the stream and closed its pipe
                await().untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(before));
            }
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
