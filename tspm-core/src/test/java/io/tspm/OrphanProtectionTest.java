package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testing.Await;
import io.tspm.testing.OrphanHostMain;
import io.tspm.testing.Scripts;
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
        Process host = new ProcessBuilder(Scripts.java(io.tspm.testing.ExitingHostMain.class))
                .redirectErrorStream(true).start();
        String output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(host.waitFor()).as(output).isZero();
        String pidsLine = output.lines().filter(l -> l.startsWith("PIDS ")).findFirst().orElseThrow();
        List<Long> pids = Arrays.stream(pidsLine.substring(5).split(" ")).map(Long::parseLong).toList();
        assertThat(pids).hasSize(3);
        // The JVM has exited, so its hook already ran: nothing may be alive, not even briefly.
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(p).filter(ProcessHandle::isAlive)).isEmpty());
    }

    @ParameterizedTest(name = "parentDeathSignal: {0}")
    @ValueSource(booleans = {false, true})
    void childrenAndGrandchildrenDieWithAKilledJvm(boolean parentDeathSignal) throws Exception {
        List<String> cmd = new ArrayList<>(Scripts.java(OrphanHostMain.class, dir.toString(),
                Boolean.toString(parentDeathSignal)));
        Process host = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<Long, String> tree = new LinkedHashMap<>();
        long reaper = -1;
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("PIDS ")) {
                    for (String p : line.substring(5).trim().split(" ")) {
                        long pid = Long.parseLong(p);
                        if (Files.exists(Path.of("/proc", p))) {
                            tree.put(pid, Scripts.startTicks(pid));
                        }
                    }
                } else if (line.startsWith("REAPER ")) {
                    reaper = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            assertThat(reaper).as("host output: %s", seen).isPositive();
            // 2 sleepers + java + forker + its 3 grandchildren (one orphaned) + sleep of the trap loop
            assertThat(tree.size()).as("tree %s, output %s", tree, seen).isGreaterThanOrEqualTo(7);

            host.destroyForcibly(); // SIGKILL: no shutdown hook runs
            host.waitFor();
            long killedAt = System.nanoTime();
            Await.within(Duration.ofSeconds(2)).until(() -> tree.entrySet().stream()
                    .noneMatch(e -> Scripts.alive(e.getKey(), e.getValue())));
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.printf("orphan test (parentDeathSignal: %s): %d processes gone %d ms after the JVM's SIGKILL%n",
                    parentDeathSignal, tree.size(), took.toMillis());
            long reaperPid = reaper;
            Await.within(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(reaperPid).isEmpty()
                    || !ProcessHandle.of(reaperPid).get().isAlive());
        } finally {
            host.destroyForcibly();
            tree.keySet().forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
