package io.tspm.examples.bench.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The same outside view of every contender: a supervisor's children that run the sleeper (their
 * name in /proc is the program's, and they are not zombies). A child still in a wrapper
 * (jspawnhelper, setsid, a shell) does not count yet; the wrapper's name is noted once that child
 * runs the program, so a helper that never does (tspm's reaper companion) is not taken for a wrapper.
 */
final class ChildWatch {

    private final ProcTree tree;
    private final String comm;
    private final Set<Long> confirmed = new HashSet<>();
    private final Set<String> namesSeen = new LinkedHashSet<>();
    /** Names seen of children not yet running the program, by pid. */
    private final Map<Long, Set<String>> namesOfPending = new HashMap<>();
    private final List<ProcessHandle> seen = new ArrayList<>();

    ChildWatch(long supervisorPid, String program) {
        this.tree = new ProcTree(supervisorPid);
        String base = program.substring(program.lastIndexOf('/') + 1);
        this.comm = base.length() > 15 ? base.substring(0, 15) : base; // the kernel keeps 15 bytes
    }

    /**
     * Names other than the program's that children running it had before: a launch path's wrappers
     * (jspawnhelper, setsid) and a forked child before its exec (it has the forking thread's name).
     */
    Set<String> namesBeforeProgram() {
        return namesSeen;
    }

    private boolean runsProgram(long pid) {
        if (confirmed.contains(pid)) {
            return true;
        }
        ProcTree.Stat st = ProcTree.stat(pid);
        if (st == null || !st.alive()) {
            namesOfPending.remove(pid); // it never ran the program; its pid may come back as one that does
            return false;
        }
        if (st.comm().equals(comm)) {
            confirmed.add(pid);
            ProcessHandle.of(pid).ifPresent(seen::add);
            Set<String> before = namesOfPending.remove(pid);
            if (before != null) {
                namesSeen.addAll(before);
            }
            return true;
        }
        namesOfPending.computeIfAbsent(pid, p -> new LinkedHashSet<>()).add(st.comm());
        return false;
    }

    /** Every child seen running the program, as handles that know its start time (a reused pid is not it). */
    List<ProcessHandle> seen() {
        return seen;
    }

    /** Waits until {@code n} children run the program; the nanoTime it saw them. */
    long awaitRunning(int n, long deadlineNanos) throws TimeoutException {
        while (true) {
            int count = 0;
            for (long pid : tree.children()) {
                if (runsProgram(pid)) {
                    count++;
                }
            }
            long now = System.nanoTime();
            if (count >= n) {
                return now;
            }
            if (now > deadlineNanos) {
                throw new TimeoutException(count + " of " + n + " children running " + comm);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** The children running the program now, each checked to be alive. */
    List<Long> running() {
        List<Long> out = new ArrayList<>();
        for (long pid : tree.children()) {
            ProcTree.Stat st = ProcTree.stat(pid);
            if (st != null && st.alive() && st.comm().equals(comm)) {
                out.add(pid);
            } else {
                confirmed.remove(pid);
            }
        }
        return out;
    }

    /** The supervisor's other live children (tspm's reaper companion): their memory is the supervisor's. */
    List<Long> helpers() {
        List<Long> out = new ArrayList<>();
        for (long pid : tree.children()) {
            ProcTree.Stat st = ProcTree.stat(pid);
            if (st != null && st.alive() && !st.comm().equals(comm)) {
                out.add(pid);
            }
        }
        return out;
    }

    /** All children now, whatever they run (the ones a replacement must differ from). */
    Set<Long> all() {
        return new HashSet<>(tree.children());
    }

    /** Waits for a child not in {@code known} that runs the program; the nanoTime it was seen. */
    long awaitNew(Set<Long> known, long deadlineNanos) throws TimeoutException {
        while (true) {
            for (long pid : tree.children()) {
                if (!known.contains(pid) && runsProgram(pid)) {
                    return System.nanoTime();
                }
            }
            long now = System.nanoTime();
            if (now > deadlineNanos) {
                throw new TimeoutException("no new child running " + comm);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Waits until no child runs the program. */
    void awaitNone(long deadlineNanos) throws TimeoutException {
        while (true) {
            int left = running().size();
            if (left == 0) {
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new TimeoutException(left + " children still running " + comm);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
