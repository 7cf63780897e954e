package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tspm.event.ProcessStopped;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testsupport.IgnoredSignalHostMain;
import io.tspm.testsupport.Scripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StopTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    @Test
    void processThatExitsOnTermStopsGracefully() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("sleep", p -> p.command("sleep", "60")).build()) {
            s.start();
            assertThat(s.group("sleep").instance(0).stop()).isEqualTo(StopOutcome.GRACEFUL);
            await().until(() -> events.of(ProcessStopped.class).size() == 1);
            ProcessStopped stopped = events.of(ProcessStopped.class).get(0);
            assertThat(stopped.outcome()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(stopped.exit()).get().extracting(ExitStatus::signal).asString().contains("TERM");
        }
    }

    @Test
    void childIgnoringTermIsKilledAfterStopTimeout() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("stubborn", p -> p
                        .shell("trap '' TERM; echo ready; while true; do sleep 0.05; done")
                        .stopTimeout(Duration.ofMillis(300)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("stubborn").instance(0);
            await().until(() -> i.recentOutput(1).contains("ready"));
            long pid = i.pid().getAsLong();
            long t0 = System.nanoTime();
            assertThat(i.stop()).isEqualTo(StopOutcome.KILLED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            await().until(() -> events.of(ProcessStopped.class).size() == 1);
            assertThat(events.of(ProcessStopped.class).get(0).exit()).get()
                    .extracting(ExitStatus::signal).asString().contains("KILL");
        }
    }

    @Test
    void stopLeavesNoGrandchildBehind() throws Exception {
        // The child forks grandchildren, one of which ignores TERM, and one that is orphaned at once.
        Path pids = dir.resolve("pids");
        Path script = Scripts.write(dir, "forker.sh", String.join("\n",
                "sleep 60 & echo $! >> " + pids,
                "(trap '' TERM; while true; do sleep 0.05; done) & echo $! >> " + pids,
                "sh -c 'sleep 60 & echo $! >> " + pids + "' ",
                "echo started",
                "wait"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("forker", p -> p.command(script.toString()).stopTimeout(Duration.ofMillis(500)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("forker").instance(0);
            await().until(() -> i.recentOutput(1).contains("started"));
            List<Long> grandchildren = Files.readAllLines(pids).stream().map(Long::parseLong).collect(Collectors.toList());
            assertThat(grandchildren).hasSize(3);
            Map<Long, String> ticks = grandchildren.stream()
                    .collect(Collectors.toMap(p -> p, Scripts::startTicks));
            assertThat(i.stop()).isEqualTo(StopOutcome.KILLED);
            ticks.forEach((pid, t) -> assertThat(Scripts.alive(pid, t)).as("grandchild %d", pid).isFalse());
        }
    }

    @Test
    void grandchildrenOrphanedByACrashAreCleanedUp() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.write(dir, "crasher.sh", String.join("\n",
                "sleep 60 & echo $! >> " + pids,
                "echo started",
                // Crashes once it is up (a fixed sleep raced the readiness timer on a loaded machine).
                "while [ ! -f " + dir.resolve("crash") + " ]; do sleep 0.02; done",
                "exit 7"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("crasher", p -> p.command(script.toString()).restartPolicy(RestartPolicy.never()))
                .build()) {
            s.start();
            Files.createFile(dir.resolve("crash"));
            await().until(() -> s.describe("crasher").get(0).state() == InstanceState.EXITED);
            long orphan = Long.parseLong(Files.readAllLines(pids).get(0));
            await().until(() -> ProcessHandle.of(orphan).filter(ProcessHandle::isAlive).isEmpty());
        }
    }

    @Test
    void orphansOfCrashesInQuickSuccessionAreAllCleanedUp() throws Exception {
        // Each run leaves a grandchild and crashes at once: the leftover checks follow one another
        // within a second, so all but the first take the listing kept from the one before.
        Path pids = dir.resolve("pids");
        Path script = Scripts.write(dir, "crashloop.sh", String.join("\n",
                "sleep 60 & echo $! >> " + pids,
                "sleep 0.1",
                "exit 3"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("looper", p -> p.command(script.toString()).readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ZERO)
                                .maxRestarts(4, Duration.ofMinutes(1)).build()))
                .build()) {
            s.start();
            await().until(() -> s.describe("looper").get(0).state() == InstanceState.FAILED);
            List<String> orphans = Files.readAllLines(pids);
            assertThat(orphans).hasSizeGreaterThanOrEqualTo(3);
            for (String pid : orphans) {
                long orphan = Long.parseLong(pid.trim());
                await().until(() -> ProcessHandle.of(orphan).filter(ProcessHandle::isAlive).isEmpty());
            }
        }
    }

    @Test
    void theStopSignalReachesGrandchildrenEvenAfterAnEarlierScan() throws Exception {
        // Grandchildren that exit cleanly on TERM, forked after another process's stop scanned /proc.
        Path marks = Files.createDirectory(dir.resolve("marks"));
        Path script = Scripts.write(dir, "family.sh", String.join("\n",
                "for n in 1 2; do (trap \"touch " + marks + "/$n; exit 0\" TERM; while true; do sleep 0.05; done) & done",
                "trap 'wait; exit 0' TERM",
                "while [ ! -f " + dir.resolve("go") + " ]; do sleep 0.02; done",
                "echo forked",
                "while true; do sleep 0.05; done"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("other", p -> p.command("sleep", "60"))
                .addProcess("family", p -> p.command(script.toString()).stopTimeout(Duration.ofSeconds(10)))
                .build()) {
            s.start();
            s.group("other").stop(); // takes a /proc scan before the family has forked
            Files.createFile(dir.resolve("go"));
            ProcessInstance family = s.group("family").instance(0);
            await().until(() -> family.recentOutput(1).contains("forked"));
            assertThat(family.stop()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(marks.resolve("1")).exists();
            assertThat(marks.resolve("2")).exists();
        }
    }

    @Test
    void hundredProcessesStopInParallel() {
        Supervisor.Builder b = Supervisor.builder();
        for (int k = 0; k < 10; k++) {
            // An ignored signal stays ignored across exec: sleep ignores TERM, and nothing forks in a loop.
            b.addProcess("stubborn" + k, p -> p.shell("trap '' TERM; exec sleep 600")
                    .instances(10).captureOutput(false).stopTimeout(Duration.ofSeconds(1)));
        }
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        b.addListener(e -> order.add(e.getClass().getSimpleName()));
        try (Supervisor s = b.build()) {
            s.start();
            assertThat(s.list()).hasSize(100).allMatch(i -> i.state() == InstanceState.RUNNING);
            order.clear();
            s.stop();
            assertThat(s.list()).allMatch(i -> i.state() == InstanceState.STOPPED);
        }
        // In parallel: every stop began (SIGTERM sent) before the first one ended (at its timeout).
        List<String> seen = new ArrayList<>(order);
        assertThat(seen.stream().filter("ProcessStopping"::equals).count()).isEqualTo(100);
        assertThat(seen.lastIndexOf("ProcessStopping")).isLessThan(seen.indexOf("ProcessStopped"));
    }

    @Test
    void customStopSignalIsSent() {
        // USR2: no way of starting the JVM ignores it (INT, for one, is ignored in a background job).
        try (Supervisor s = Supervisor.builder()
                .addProcess("usr2", p -> p.shell("trap 'echo got-usr2; exit 0' USR2; echo ready; while true; do sleep 0.05; done")
                        .stopSignal(Signal.USR2).stopTimeout(Duration.ofSeconds(10)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("usr2").instance(0);
            await().until(() -> i.recentOutput(1).contains("ready"));
            assertThat(i.stop()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(i.recentOutput(5)).contains("got-usr2");
            assertThat(i.snapshot().lastExit()).contains(new ExitStatus(0));
        }
    }

    /**
     * A JVM started with SIGINT ignored (a background job of a non-interactive shell): through the
     * JDK its children inherit that, cannot trap the stop signal, and are killed at the stop
     * timeout, which the supervisor says when the process is added; the native path resets every
     * signal, so the child traps SIGINT and stops gracefully.
     */
    @ParameterizedTest(name = "launch path: {0}")
    @ValueSource(strings = {"jdk", "native"})
    void aStopSignalTheJvmIgnoresIsNamedOnTheJdkPathAndResetOnTheNativeOne(String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                IgnoredSignalHostMain.class.getName(), path));
        Process host = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(host.waitFor()).as(output).isZero();
        } finally {
            host.destroyForcibly();
        }
        if (path.equals("native")) {
            assumeTrue(output.contains("launches children natively"),
                    "the native path needs Linux on x86-64 or arm64 and JDK 22 or newer; this JVM took the JDK path");
            assertThat(output).contains("OUTCOME GRACEFUL").contains("got-int").doesNotContain("is ignored by this JVM");
        } else {
            assertThat(output).contains("process 'int': its stop signal SIGINT is ignored by this JVM")
                    .contains("each stop waits the stop timeout (2 s) and then kills").contains("OUTCOME KILLED");
        }
    }

    @Test
    void dependentsStopBeforeTheirDependencies() {
        List<String> order = new ArrayList<>();
        try (Supervisor s = Supervisor.builder()
                .addListener(e -> {
                    if (e instanceof ProcessStopped) {
                        synchronized (order) {
                            order.add(e.process());
                        }
                    }
                })
                .addProcess("db", p -> p.command("sleep", "60"))
                .addProcess("api", p -> p.command("sleep", "60").dependsOn("db"))
                .addProcess("web", p -> p.command("sleep", "60").dependsOn("api"))
                .build()) {
            s.start();
            s.stop();
            await().until(() -> order.size() == 3);
            assertThat(order).containsExactly("web", "api", "db");
        }
    }
}
