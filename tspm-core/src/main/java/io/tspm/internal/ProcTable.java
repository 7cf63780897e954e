package io.tspm.internal;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scan of Linux's /proc: every process with its parent and session. A scan costs one small read
 * per process on the machine, so stops that start together share a recent scan.
 */
final class ProcTable {

    private static final long SELF = ProcessHandle.current().pid();

    private final long takenAt;
    private final Map<Long, ProcStat> byPid;
    // Indexes built once per scan on first use, so asking for many trees stays linear.
    private Map<Long, List<ProcStat>> children;
    private Map<Long, List<ProcStat>> bySession;
    private long selfSession = -1;

    private ProcTable(long takenAt, Map<Long, ProcStat> byPid) {
        this.takenAt = takenAt;
        this.byPid = byPid;
    }

    /** Lets stops that run together share scans (one per supervisor). */
    static final class Shared {
        private ProcTable recent;

        /** A scan taken at or after {@code notBeforeNanos} ({@link System#nanoTime()}). */
        ProcTable takenSince(long notBeforeNanos) {
            synchronized (this) {
                if (recent != null && recent.takenAt - notBeforeNanos >= 0) {
                    return recent;
                }
            }
            ProcTable fresh = scan();
            synchronized (this) {
                if (recent == null || fresh.takenAt - recent.takenAt > 0) {
                    recent = fresh;
                }
            }
            return fresh;
        }

    }

    private synchronized Map<Long, List<ProcStat>> children() {
        if (children == null) {
            children = new HashMap<>();
            for (ProcStat st : byPid.values()) {
                children.computeIfAbsent(st.ppid(), k -> new ArrayList<>()).add(st);
            }
        }
        return children;
    }

    private synchronized Map<Long, List<ProcStat>> bySession() {
        if (bySession == null) {
            bySession = new HashMap<>();
            for (ProcStat st : byPid.values()) {
                bySession.computeIfAbsent(st.session(), k -> new ArrayList<>()).add(st);
            }
        }
        return bySession;
    }

    private synchronized long selfSession() {
        if (selfSession < 0) {
            ProcStat me = byPid.get(SELF);
            ProcStat read = me != null ? me : ProcStat.read(SELF);
            selfSession = read == null ? 0 : read.session();
        }
        return selfSession;
    }


    /** A table of the given processes, as seen at {@code takenAt} ({@link System#nanoTime()}). */
    static ProcTable of(long takenAt, Map<Long, ProcStat> byPid) {
        return new ProcTable(takenAt, byPid);
    }

    /** A new scan. */
    static ProcTable scan() {
        long now = System.nanoTime();
        Map<Long, ProcStat> map = new HashMap<>();
        String[] names = ProcStat.PROC.toFile().list();
        if (names != null) {
            for (String name : names) {
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                ProcStat st = ProcStat.read("/proc/" + name + "/stat");
                if (st != null && !st.exited()) {
                    map.put(st.pid(), st);
                }
            }
        }
        // An unreadable /proc leaves an empty table: nothing is found, nothing is signalled.
        return new ProcTable(now, map);
    }

    /**
     * The live processes of the tree under {@code root} and of the session {@code session}
     * (0 for none), root first. Never the current JVM.
     */
    List<ProcStat> tree(ProcStat root, long session) {
        // root is only a pid and start ticks; the live entries come from the scan.
        long self = SELF;
        Map<Long, List<ProcStat>> children = children();
        Map<Long, ProcStat> out = new LinkedHashMap<>();
        Deque<ProcStat> todo = new ArrayDeque<>();
        ProcStat liveRoot = byPid.get(root.pid());
        if (liveRoot != null && liveRoot.startTicks() == root.startTicks()) {
            todo.add(liveRoot);
        } else if (liveRoot != null) {
            // The pid was reused, so our session has no members left: never touch the new owner's.
            session = 0;
        }
        while (!todo.isEmpty()) {
            ProcStat st = todo.poll();
            if (st.pid() != self && out.putIfAbsent(st.pid(), st) == null) {
                for (ProcStat child : children.getOrDefault(st.pid(), List.of())) {
                    // A child is never older than its parent: an older one names a reused pid's predecessor.
                    if (child.startTicks() >= st.startTicks()) {
                        todo.add(child);
                    }
                }
            }
        }
        if (session > 0 && session != selfSession()) {
            for (ProcStat st : bySession().getOrDefault(session, List.of())) {
                // Members of the root's session were born after it (it created the session).
                if (st.pid() != self && st.startTicks() >= root.startTicks()) {
                    out.putIfAbsent(st.pid(), st);
                }
            }
        }
        return new ArrayList<>(out.values());
    }
}
