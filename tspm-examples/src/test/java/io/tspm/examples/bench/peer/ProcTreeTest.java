package io.tspm.examples.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcTreeTest {

    @Test
    void stat_nameWithSpacesAndParentheses_endsAtTheLastParenthesis() {
        ProcTree.Stat st = ProcTree.parseStat("4242 (tspm (x) y) S 1 4242 4242 0 -1");

        assertThat(st.comm()).isEqualTo("tspm (x) y");
        assertThat(st.state()).isEqualTo('S');
        assertThat(st.alive()).isTrue();
        assertThat(ProcTree.parseStat("7 (sleep) Z 1").alive()).isFalse();
    }

    @Test
    void children_listIsParsed_blankToo() {
        List<Long> out = new ArrayList<>();
        ProcTree.parseChildren("12 345 6789 \n", out);
        ProcTree.parseChildren("", out);

        assertThat(out).containsExactly(12L, 345L, 6789L);
    }

    @Test
    void childWatch_seesAChildOfThisJvm_andItsReplacement() throws Exception {
        long self = ProcessHandle.current().pid();
        ChildWatch watch = new ChildWatch(self, "/usr/bin/sleep");
        Process first = new ProcessBuilder("sleep", "1000").start();
        Process second = null;
        try {
            watch.awaitRunning(1, System.nanoTime() + Duration.ofSeconds(10).toNanos());
            assertThat(watch.running()).contains(first.pid());

            var known = watch.all();
            second = new ProcessBuilder("sleep", "1000").start();
            watch.awaitNew(known, System.nanoTime() + Duration.ofSeconds(10).toNanos());
            assertThat(watch.running()).contains(first.pid(), second.pid());
        } finally {
            first.destroyForcibly().waitFor();
            if (second != null) {
                second.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void childWatch_namesOnlyWhatAChildRunningTheProgramWasBefore() throws Exception {
        long self = ProcessHandle.current().pid();
        ChildWatch watch = new ChildWatch(self, "/usr/bin/sleep");
        // A helper that never becomes the program (as tspm's reaper companion), and a shell that
        // execs it after a moment (as a wrapper does): only the shell's name is a wrapper's.
        Process helper = new ProcessBuilder("tail", "-f", "/dev/null").start();
        Process wrapped = new ProcessBuilder("sh", "-c", "sleep 0.3; exec sleep 1000").start();
        try {
            var others = watch.all();
            others.remove(wrapped.pid());
            others.remove(helper.pid()); // looked at on every poll, as the supervisor's helpers are
            watch.awaitNew(others, System.nanoTime() + Duration.ofSeconds(10).toNanos());

            assertThat(watch.namesBeforeProgram()).contains("sh").doesNotContain("tail");
        } finally {
            helper.destroyForcibly().waitFor();
            wrapped.destroyForcibly().waitFor();
        }
    }

    @Test
    void killTree_killsTheProcessAndItsDescendants() throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "sleep 1000 & sleep 1000 & wait").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcTree.descendants(sh.pid()).size() == 2);
        List<ProcessHandle> tree = ProcTree.descendants(sh.pid());

        ProcTree.killTree(sh.pid());

        sh.waitFor();
        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }
}
