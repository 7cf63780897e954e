package io.tspm.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The resource sampler's picture of /proc, kept from one sample to the next so that a sample costs
 * one read per process of a watched tree instead of one per process on the machine.
 *
 * <p>A process is read when a listing of /proc first shows it, or when its pid was handed out
 * since the last listing (the pid was reused); its parent and session are then taken as known:
 * they change only when its parent dies (it is reparented, but stays in its session, which is
 * looked at too) or when it calls setsid. /proc is listed again only when a pid was handed out
 * since the last listing (the newest pid in {@code /proc/loadavg} moved: a process or a thread was
 * created anywhere), since a tree gains members by their birth. Every {@value #FULL_EVERY} samples
 * everything is read again, for the rarer changes: a process that left a tree by setsid after its
 * parent died, or an orphan reparented to a subreaper inside a tree. Used by the sampler's single
 * thread only.
 */
final class ProcCache {

    /** Every this many samples, every process is read again. */
    static final int FULL_EVERY = 30;

    private final byte[] buffer = new byte[1024];
    private Map<Long, ProcStat> known = new HashMap<>();
    /** What the last listing read, so a member is not read twice in the same sample. */
    private final Map<Long, ProcStat> readByListing = new HashMap<>();
    private ProcTable table;
    private long listedAtPid = -1;
    private long generation;
    private int sinceFull = FULL_EVERY;

    /**
     * The processes on the machine, for this sample: listed afresh when a process was created since
     * the last listing (then the new ones are read), or every {@value #FULL_EVERY} samples (then all
     * are read); otherwise the table of the last listing.
     */
    ProcTable refresh() {
        readByListing.clear();
        boolean full = ++sinceFull >= FULL_EVERY;
        // Read before listing: a process created during the listing moves it again for next time.
        long newestPid = newestPid(buffer);
        if (!full && table != null && newestPid > 0 && newestPid == listedAtPid) {
            return table;
        }
        if (full) {
            sinceFull = 0;
        }
        long now = System.nanoTime();
        String[] names = ProcStat.PROC.toFile().list();
        Map<Long, ProcStat> next = new HashMap<>(Math.max(16, known.size() * 4 / 3 + 16));
        boolean newcomers = full;
        if (names != null) {
            for (String name : names) {
                long pid = pidOf(name);
                if (pid < 0) {
                    continue;
                }
                ProcStat st = full || handedOutSince(pid, listedAtPid, newestPid) ? null : known.get(pid);
                if (st == null) {
                    st = read(pid);
                    if (st != null) {
                        readByListing.put(pid, st);
                        newcomers = true;
                    }
                }
                if (st != null && !st.exited()) {
                    next.put(pid, st);
                }
            }
        }
        if (newcomers) {
            generation++;
        }
        listedAtPid = newestPid;
        known = next;
        table = ProcTable.of(now, next);
        return table;
    }

    /**
     * Whether {@code pid} may have been handed out since a listing that saw {@code listedAtPid} as
     * the newest pid (pids are handed out cyclically); true when either is not known.
     */
    static boolean handedOutSince(long pid, long listedAtPid, long newestPid) {
        if (listedAtPid <= 0 || newestPid <= 0) {
            return true; // not known: read everything
        }
        return newestPid >= listedAtPid ? pid > listedAtPid && pid <= newestPid : pid > listedAtPid || pid <= newestPid;
    }

    /**
     * Changes whenever a listing finds a process it did not know (or reads them all again): until
     * then, the trees found in the table stay what they were.
     */
    long generation() {
        return generation;
    }

    /**
     * The figures of the process {@code pid} started at {@code startTicks}, as of this sample, or
     * null when it has gone (or the pid now names another process).
     */
    ProcStat current(long pid, long startTicks) {
        ProcStat st = readByListing.get(pid);
        if (st == null) {
            st = read(pid);
        }
        return st == null || st.exited() || st.startTicks() != startTicks ? null : st;
    }

    private ProcStat read(long pid) {
        return ProcStat.read("/proc/" + pid + "/stat", buffer);
    }

    /**
     * The pid most recently handed out on this machine (the last field of /proc/loadavg), or -1
     * when it cannot be read. Threads take pids too, so it moves more often than processes appear.
     * Some kernels (gVisor) always give 0 there, which counts as not known.
     */
    static long newestPid(byte[] buffer) {
        int n;
        try (FileInputStream in = new FileInputStream("/proc/loadavg")) {
            n = in.read(buffer, 0, buffer.length);
        } catch (IOException | SecurityException e) {
            return -1;
        }
        int end = n;
        while (end > 0 && (buffer[end - 1] == '\n' || buffer[end - 1] == ' ')) {
            end--;
        }
        int start = end;
        while (start > 0 && buffer[start - 1] >= '0' && buffer[start - 1] <= '9') {
            start--;
        }
        if (start == end || start == 0 || buffer[start - 1] != ' ' || end - start > 18) {
            return -1;
        }
        long pid = 0;
        for (int i = start; i < end; i++) {
            pid = pid * 10 + (buffer[i] - '0');
        }
        return pid > 0 ? pid : -1;
    }

    /** The pid a /proc entry names, or -1 for the entries that are not processes. */
    static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return -1;
        }
        long pid = 0;
        for (int i = 0; i < name.length(); i++) {
            int d = name.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            pid = pid * 10 + d;
        }
        return pid;
    }
}
