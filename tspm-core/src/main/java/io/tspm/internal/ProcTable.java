package io.tspm.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private final long takenAt;
    private final Map<Long, ProcStat> byPid;

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

        /** The latest scan if it already shows {@code pid} with these start ticks, else a new one. */
        ProcTable showing(long pid, long startTicks) {
            synchronized (this) {
                if (recent != null && recent.shows(pid, startTicks)) {
                    return recent;
                }
            }
            return takenSince(System.nanoTime());
        }
    }

    boolean shows(long pid, long startTicks) {
        ProcStat st = byPid.get(pid);
        return st != null && st.startTicks() == startTicks;
    }

    /** A new scan. */
    static ProcTable scan() {
        long now = System.nanoTime();
        Map<Long, ProcStat> map = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(ProcStat.PROC)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                ProcStat st = ProcStat.read(p.resolve("stat"));
                if (st != null && !st.exited()) {
                    map.put(st.pid(), st);
                }
            }
        } catch (IOException e) {
            // An unreadable /proc leaves an empty table: nothing is found, nothing is signalled.
        }
        return new ProcTable(now, map);
    }

    /**
     * The live processes of the tree under {@code root} and of the session {@code session}
     * (0 for none), root first. Never the current JVM.
     */
    List<ProcStat> tree(ProcStat root, long session) {
        // root is only a pid and start ticks; the live entries come from the scan.
        long self = ProcessHandle.current().pid();
        Map<Long, List<ProcStat>> children = new HashMap<>();
        for (ProcStat st : byPid.values()) {
            children.computeIfAbsent(st.ppid(), k -> new ArrayList<>()).add(st);
        }
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
                todo.addAll(children.getOrDefault(st.pid(), List.of()));
            }
        }
        if (session > 0 && session != ProcStat.read(self).session()) {
            for (ProcStat st : byPid.values()) {
                if (st.session() == session && st.pid() != self) {
                    out.putIfAbsent(st.pid(), st);
                }
            }
        }
        return new ArrayList<>(out.values());
    }
}
