package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testsupport.Await;
import io.tspm.testsupport.OrphanHostMain;
import io.tspm.testsupport.Scripts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A JVM killed with SIGKILL must take every child and grandchild with it within 2 s. */
@EnabledOnOs(OS.LINUX)
class OrphanProtectionTest {

    @TempDir
    Path dir;

    @org.junit.jupiter.api.Test
    void shutdownHookStopsChildrenWhenTheJvmExitsNormally() throws Exception {
        Process host = new ProcessBuilder(Scripts.java(io.tspm.testsupport.ExitingHostMain.class))
                .redirectErrorStream(true).start();
        String output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(host.waitFor()).as(output).isZero();
        String pidsLine = output.lines().filter(l -> l.startsWith("PIDS ")).findFirst().orElseThrow();
        List<Long> pids = Arrays.stream(pidsLine.substring(5).split(" ")).map(Long::parseLong).toList();
        assertThat(pids).hasSize(3);
        // The JVM has exited, so its hook already ran: nothing may be alive, not even briefly.
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(p).filter(ProcessHandle::isAlive)).isEmpty());
    }

    /**
     * The shutdown hook waits no longer than the stops can take: here they cannot end (their
     * timeouts are on a manual scheduler nobody moves), and the JVM still exits, after what the
     * stop could take (1 s drain, 1 s stop timeout, 10 s kill grace) and the margin (5 s); the child, which
     * ignores SIGTERM, dies with it.
     */
    @org.junit.jupiter.api.Test
    void aStopThatCannotEndDoesNotKeepTheJvmFromExiting() throws Exception {
        Process host = new ProcessBuilder(Scripts.java(io.tspm.testsupport.StuckStopHostMain.class))
                .redirectErrorStream(true).start();
        try {
            String output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(host.waitFor()).as(output).isZero();
            assertThat(output).contains("stopping supervisor 'stuck' at JVM exit failed")
                    .contains("the stop did not end within 17 s (for each process its drain, stop timeout, kill grace"
                            + " and postStop hook, and 5 s); still stopping: [deaf#0 (STOPPING)]");
            long child = Long.parseLong(output.lines().filter(l -> l.startsWith("PIDS ")).findFirst().orElseThrow()
                    .substring(5).trim());
            Await.await().until(() -> ProcessHandle.of(child).filter(ProcessHandle::isAlive).isEmpty());
        } finally {
            host.destroyForcibly();
        }
    }

    /**
     * Without the parent-death signal the companion reaper must do it all. With it, the reaper is
     * killed first, so only the kernel's signal can take the direct children (grandchildren never
     * get it; the test cleans them up): the case fails if the signal is not there.
     */
    @ParameterizedTest(name = "parentDeathSignal: {0}")
    @ValueSource(booleans = {false, true})
    void childrenAndGrandchildrenDieWithAKilledJvm(boolean parentDeathSignal) throws Exception {
        List<String> cmd = new ArrayList<>(Scripts.java(OrphanHostMain.class, dir.toString(),
                Boolean.toString(parentDeathSignal)));
        Process host = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<Long, String> tree = new LinkedHashMap<>();
        Map<Long, String> supervised = new LinkedHashMap<>();
        long reaper = -1;
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("PIDS ") || line.startsWith("MAIN ")) {
                    Map<Long, String> into = line.startsWith("PIDS ") ? tree : supervised;
                    for (String p : line.substring(5).trim().split(" ")) {
                        long pid = Long.parseLong(p);
                        if (Files.exists(Path.of("/proc", p))) {
                            into.put(pid, Scripts.startTicks(pid));
                        }
                    }
                } else if (line.startsWith("REAPER ")) {
                    reaper = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            assertThat(reaper).as("host output: %s", seen).isPositive();
            String reaperTicks = Scripts.startTicks(reaper);
            // 2 sleepers + java + forker + its 3 grandchildren (one orphaned) + sleep of the trap loop
            assertThat(tree.size()).as("tree %s, output %s", tree, seen).isGreaterThanOrEqualTo(7);
            assertThat(supervised).as("output %s", seen).hasSize(4);
            long reaperPid = reaper;
            if (parentDeathSignal) {
                ProcessHandle.of(reaperPid).ifPresent(ProcessHandle::destroyForcibly);
                Await.await().until(() -> ProcessHandle.of(reaperPid).map(h -> !h.isAlive()).orElse(true));
            }
            Map<Long, String> mustDie = parentDeathSignal ? supervised : tree;

            host.destroyForcibly(); // SIGKILL: no shutdown hook runs
            host.waitFor();
            long killedAt = System.nanoTime();
            Await.within(Duration.ofSeconds(2)).until(() -> mustDie.entrySet().stream()
                    .noneMatch(e -> Scripts.alive(e.getKey(), e.getValue())));
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            // Exited is enough: who reaps the reparented zombie, and when, is the machine's init's business.
            Await.within(Duration.ofSeconds(5)).until(() -> !Scripts.alive(reaperPid, reaperTicks));
            Duration reaperGone = Duration.ofNanos(System.nanoTime() - killedAt);
            // The figures the README quotes: measured from the moment the JVM's death was seen, polled every 10 ms.
            System.out.printf("orphan test (parentDeathSignal: %s): %d processes gone %d ms after the JVM's SIGKILL,"
                    + " the reaper %s%n", parentDeathSignal, mustDie.size(), took.toMillis(),
                    parentDeathSignal ? "was killed before" : "gone after " + reaperGone.toMillis() + " ms");
        } finally {
            host.destroyForcibly();
            tree.forEach((p, ticks) -> {
                if (Scripts.alive(p, ticks)) {
                    ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
                }
            });
        }
    }
}
