package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The sampler's /proc picture, with a real shell that forks a child when told to. */
@EnabledOnOs(OS.LINUX)
class ProcCacheTest {

    private final ProcCache cache = new ProcCache();
    private Process shell;

    @AfterEach
    void killShell() {
        if (shell != null) {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    private ProcStat startShell() throws Exception {
        // Forks a sleep for every line it reads.
        shell = new ProcessBuilder("/bin/sh", "-c", "while read x; do sleep 600 & done").start();
        ProcStat root = ProcStat.read(shell.pid());
        assertThat(root).isNotNull();
        return root;
    }

    private List<Long> treePids(ProcTable table, ProcStat root) {
        return table.tree(ProcStat.ofIdentity(root.pid(), root.startTicks()), 0).stream().map(ProcStat::pid).toList();
    }

    @Test
    void aChildForkedAfterTheFirstListingJoinsTheTreeAtTheNextSample() throws Exception {
        ProcStat root = startShell();
        ProcTable first = cache.refresh();
        long generation = cache.generation();
        assertThat(treePids(first, root)).containsExactly(root.pid());

        OutputStream in = shell.getOutputStream();
        in.write("go\n".getBytes());
        in.flush();
        await().until(() -> shell.descendants().findAny().isPresent());
        long child = shell.descendants().findFirst().orElseThrow().pid();

        ProcTable second = cache.refresh();
        assertThat(cache.generation()).isGreaterThan(generation);
        assertThat(treePids(second, root)).containsExactly(root.pid(), child);
        // The new child was read by the listing; the shell is read afresh.
        assertThat(cache.current(child, ProcStat.read(child).startTicks())).isNotNull();
        assertThat(cache.current(root.pid(), root.startTicks()).pid()).isEqualTo(root.pid());
    }

    @Test
    void aProcessThatHasGoneOrWhosePidNamesAnotherHasNoFigures() throws Exception {
        ProcStat root = startShell();
        cache.refresh();
        assertThat(cache.current(root.pid(), root.startTicks() + 1)).isNull();
        shell.destroyForcibly().waitFor();
        cache.refresh();
        assertThat(cache.current(root.pid(), root.startTicks())).isNull();
    }

    @Test
    void aTreeNeverTakesInAProcessOlderThanItsParentOrItsSession() {
        // Stale entries (a reused pid's predecessor) are older than the processes they seem to belong to.
        ProcStat root = new ProcStat(1_000_001, 'S', 1, 1_000_001, 1_000_001, 500, 0, 1, 10);
        ProcStat child = new ProcStat(1_000_002, 'S', 1_000_001, 1_000_001, 1_000_001, 600, 0, 1, 10);
        ProcStat staleChild = new ProcStat(1_000_003, 'S', 1_000_001, 1, 1, 400, 0, 1, 10);
        ProcStat staleSessionMember = new ProcStat(1_000_004, 'S', 1, 1_000_001, 1_000_001, 450, 0, 1, 10);
        ProcStat orphanInSession = new ProcStat(1_000_005, 'S', 1, 1_000_001, 1_000_001, 700, 0, 1, 10);
        java.util.Map<Long, ProcStat> all = new java.util.HashMap<>();
        for (ProcStat st : List.of(root, child, staleChild, staleSessionMember, orphanInSession)) {
            all.put(st.pid(), st);
        }
        ProcTable table = ProcTable.of(System.nanoTime(), all);
        assertThat(table.tree(ProcStat.ofIdentity(root.pid(), root.startTicks()), root.pid()))
                .containsExactly(root, child, orphanInSession);
    }

    @Test
    void everythingIsReadAgainEveryFullEverySamples() {
        cache.refresh();
        long generation = cache.generation();
        for (int i = 1; i < ProcCache.FULL_EVERY; i++) {
            cache.refresh();
        }
        // Listings in between may have found newcomers (this JVM starts threads); the full one always counts.
        long before = cache.generation();
        cache.refresh();
        assertThat(cache.generation()).isGreaterThan(before).isGreaterThan(generation);
    }
}
