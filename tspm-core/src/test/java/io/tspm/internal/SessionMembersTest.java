package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a session leader that died left behind, found from a listing of /proc kept between calls:
 * real sessions made by {@code setsid}, their leaders killed, their members still running.
 */
@EnabledOnOs(OS.LINUX)
class SessionMembersTest {

    @TempDir
    Path dir;

    private final List<Process> leaders = new ArrayList<>();
    private final List<Long> strays = new ArrayList<>();
    /**
     * Trusts its kept listing for a minute, and reads any number of new pids directly, so the
     * calls after the first list nothing.
     */
    private final SessionMembers sessions = new SessionMembers(60_000, 100_000);
    /** Trusts its kept listing for a minute and reads no pid directly (-1): every call lists /proc. */
    private final SessionMembers listing = new SessionMembers(60_000, -1);

    @AfterEach
    void killAll() throws Exception {
        for (Process p : leaders) {
            p.destroyForcibly().waitFor();
        }
        for (long pid : strays) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A session leader (setsid execs the shell in its place) that forks {@code members}, prints their pids, and waits. */
    private Process leader(String name, String... members) throws Exception {
        Path pids = dir.resolve(name + ".pids");
        StringBuilder script = new StringBuilder();
        for (String m : members) {
            script.append(m).append(" & echo $! >> ").append(pids).append("\n");
        }
        script.append("touch ").append(dir.resolve(name + ".ready")).append("\nwait\n");
        Process p = new ProcessBuilder("setsid", "sh", "-c", script.toString()).start();
        leaders.add(p);
        await().until(() -> Files.exists(dir.resolve(name + ".ready")));
        await().until(() -> ProcStat.read(p.pid()) != null && ProcStat.read(p.pid()).session() == p.pid());
        for (String line : Files.readAllLines(pids)) {
            strays.add(Long.parseLong(line.trim()));
        }
        return p;
    }

    private static long ticks(Process p) {
        return ProcStat.read(p.pid()).startTicks();
    }

    private static List<Long> pids(List<ProcStat> members) {
        return members.stream().map(ProcStat::pid).toList();
    }

    private static List<Long> memberPids(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(s -> Long.parseLong(s.trim())).toList();
    }

    @Test
    void findsWhatEachDeadLeaderLeft_fromTheFirstListingThenFromNewPidsAlone() throws Exception {
        findsWhatEachDeadLeaderLeft(sessions);
        assertThat(sessions.listings()).isEqualTo(1);
    }

    @Test
    void findsWhatEachDeadLeaderLeft_fromTheFirstListingAndFromKeptOnes() throws Exception {
        findsWhatEachDeadLeaderLeft(listing);
        assertThat(listing.listings()).isEqualTo(3);
    }

    private void findsWhatEachDeadLeaderLeft(SessionMembers sessions) throws Exception {
        Process first = leader("first", "sleep 300", "sleep 300");
        long firstTicks = ticks(first);
        first.destroyForcibly().waitFor();
        assertThat(pids(sessions.of(first.pid(), firstTicks)))
                .containsExactlyInAnyOrderElementsOf(memberPids(dir.resolve("first.pids")));

        // Born after the last listing: read as new pids.
        Process second = leader("second", "sleep 300");
        long secondTicks = ticks(second);
        second.destroyForcibly().waitFor();
        assertThat(pids(sessions.of(second.pid(), secondTicks)))
                .containsExactlyElementsOf(memberPids(dir.resolve("second.pids")));

        // The first session's members are still found, from the kept listing.
        assertThat(pids(sessions.of(first.pid(), firstTicks)))
                .containsExactlyInAnyOrderElementsOf(memberPids(dir.resolve("first.pids")));
    }

    @Test
    void aMemberThatLeftTheSessionSinceItWasListedIsNotAnswered() throws Exception {
        Path left = dir.resolve("left");
        // The member moves to a session of its own (setsid without a fork: it is no group leader).
        Process leader = leader("moving", "sh -c 'while [ ! -f " + left + " ]; do sleep 0.02; done; exec setsid sleep 300'",
                "sleep 300");
        long ticks = ticks(leader);
        List<Long> members = memberPids(dir.resolve("moving.pids"));
        long mover = members.get(0);
        assertThat(pids(sessions.of(leader.pid(), ticks))).containsAll(members); // and the mover's own sleeps

        Files.createFile(left);
        await().until(() -> ProcStat.read(mover) != null && ProcStat.read(mover).session() == mover);
        leader.destroyForcibly().waitFor();

        assertThat(pids(sessions.of(leader.pid(), ticks))).contains(members.get(1)).doesNotContain(mover);
    }

    @Test
    void neverAnswersTheJvmsOwnSession() {
        long own = ProcStat.read(ProcessHandle.current().pid()).session();
        assertThat(sessions.of(own, 0)).isEmpty();
    }
}
