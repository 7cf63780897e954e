package io.tspm.internal;

import static io.tspm.testing.Await.await;
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
