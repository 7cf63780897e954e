package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The reaper's pipe protocol against real processes: what is registered at EOF dies, nothing else. */
@EnabledOnOs(OS.LINUX)
class OrphanReaperTest {

    private final List<Process> spawned = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Process p : spawned) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process sessionLeader(Platform platform) throws Exception {
        List<String> argv = new ArrayList<>(platform.sessionPrefix());
        argv.addAll(List.of("/bin/sh", "-c", "sleep 300 & wait"));
        Process p = new ProcessBuilder(argv).start();
        spawned.add(p);
        await().until(() -> p.descendants().count() == 1);
        return p;
    }

    @Test
    void killsRegisteredSessionsAtEofAndSparesUnregisteredOnes() throws Exception {
        Platform platform = Platform.detect(false);
        OrphanReaper reaper = OrphanReaper.start(platform);
        Process a = sessionLeader(platform);
        Process b = sessionLeader(platform);
        Process c = sessionLeader(platform);
        ProcessHandle aChild = a.descendants().findFirst().orElseThrow();
        for (Process p : List.of(a, b, c)) {
            reaper.register(p.pid(), ProcStat.read(p.pid()).startTicks());
        }
        reaper.unregister(b.pid());
        reaper.close();
        await().until(() -> !a.isAlive() && !c.isAlive() && !aChild.isAlive());
        assertThat(b.isAlive()).isTrue();
    }

    private static char state(long pid) throws Exception {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void neverSignalsAZombieAndEndsWithThePassThatFindsNoLiveMember() throws Exception {
        Platform platform = Platform.detect(false);
        // A zombie that leads its own session and stays one: its parent, outside that session, never reaps it.
        List<String> argv = new ArrayList<>(platform.sessionPrefix());
        argv.addAll(List.of("/bin/sh", "-c", "setsid sleep 0 & exec sleep 300"));
        Process parent = new ProcessBuilder(argv).start();
        spawned.add(parent);
        await().until(() -> parent.children().findFirst().map(c -> {
            try {
                return state(c.pid()) == 'Z';
            } catch (Exception gone) {
                return false;
            }
        }).orElse(false));
        long zombie = parent.children().findFirst().orElseThrow().pid();
        Process live = sessionLeader(platform);
        ProcessHandle liveChild = live.descendants().findFirst().orElseThrow();

        // The reaper's own program, traced: every command it runs is on its stderr.
        java.nio.file.Path trace = java.nio.file.Files.createTempFile("reaper", ".trace");
        List<String> reaperArgv = new ArrayList<>(platform.sessionPrefix());
        reaperArgv.addAll(List.of("/bin/sh", "-x", "-c", OrphanReaper.script(), "tspm-reaper"));
        Process reaper = new ProcessBuilder(reaperArgv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(trace.toFile()).start();
        spawned.add(reaper);
        try (java.io.OutputStream pipe = reaper.getOutputStream()) {
            pipe.write(("+ " + zombie + " " + ProcStat.read(zombie).startTicks() + "\n+ " + live.pid() + " "
                    + ProcStat.read(live.pid()).startTicks() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        await().until(() -> !reaper.isAlive());
        List<String> lines = java.nio.file.Files.readAllLines(trace);
        java.nio.file.Files.delete(trace);
        await().until(() -> !live.isAlive() && !liveChild.isAlive());
        assertThat(lines).as("trace %s", lines).noneMatch(l -> l.matches("\\+ kill -KILL " + zombie));
        // The group kill took the live session; a pass that finds no live member is the last (5 is the cap).
        assertThat(lines.stream().filter(l -> l.matches("\\+ pass=[1-9]")).count()).as("trace %s", lines)
                .isBetween(1L, 3L);
    }

    @Test
    void neverKillsAPidWhoseStartTimeDiffers() throws Exception {
        Platform platform = Platform.detect(false);
        OrphanReaper reaper = OrphanReaper.start(platform);
        Process p = sessionLeader(platform);
        // Registered with the wrong start time: as if the pid had been reused by another process.
        reaper.register(p.pid(), ProcStat.read(p.pid()).startTicks() + 1);
        reaper.close();
        assertThat(p.isAlive()).isTrue();
    }
}
