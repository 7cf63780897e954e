package io.tspm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One line of Linux's {@code /proc/<pid>/stat}: the fields the supervisor needs to tell a process
 * from a later one with the same pid (start time) and to find the members of a session.
 *
 * @param startTicks start time in clock ticks since boot (field 22); with the pid, it names a process
 * @param cpuTicks   user plus system CPU time in clock ticks, its own and its reaped children's
 *                   (fields 14 to 17)
 * @param threads    number of threads (field 20)
 * @param rssPages   resident set size in pages (field 24)
 */
record ProcStat(long pid, char state, long ppid, long processGroup, long session, long startTicks,
        long cpuTicks, int threads, long rssPages) {

    /** A pid and start time only (a root to look up), no figures. */
    static ProcStat ofIdentity(long pid, long startTicks) {
        return new ProcStat(pid, 'R', 0, 0, 0, startTicks, 0, 0, 0);
    }

    static final Path PROC = Paths.get("/proc");

    /** Whether this machine has a Linux-style /proc. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /** The stat of {@code pid}, or null when there is no such process (or no /proc). */
    static ProcStat read(long pid) {
        return read("/proc/" + pid + "/stat");
    }

    /**
     * Reads and parses one stat file; cheap on purpose (the sampler reads one per process per
     * interval): a plain stream into a small buffer and a parse of just the needed fields.
     */
    static ProcStat read(String statFile) {
        return read(statFile, BUFFERS.get());
    }

    /** One read buffer per thread that reads stat files: a scan of /proc reads one per process on the machine. */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1024]);

    /**
     * Reads into {@code buf} (of at least 1024 bytes, which hold any stat line): /proc hands out a
     * stat file whole, so one read call does.
     */
    static ProcStat read(String statFile, byte[] buf) {
        int n;
        try (java.io.FileInputStream in = new java.io.FileInputStream(statFile)) {
            n = in.read(buf, 0, buf.length);
        } catch (IOException | SecurityException e) {
            return null;
        }
        return n <= 0 ? null : parse(buf, n);
    }

    /** Parses a stat line; the command name in parentheses may itself hold spaces and parentheses. */
    static ProcStat parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, b.length);
    }

    static ProcStat parse(byte[] b, int n) {
        int open = -1;
        int close = -1;
        for (int i = 0; i < n; i++) {
            if (b[i] == '(' && open < 0) {
                open = i;
            } else if (b[i] == ')') {
                close = i;
            }
        }
        if (open <= 0 || close < open || close + 2 >= n) {
            return null;
        }
        long pid = number(b, 0, open - 1);
        // Fields from 3 on, after ") ": field k starts at the (k - 3)-th space-separated token.
        // Kept in locals, not an array: a scan of /proc parses one line per process on the machine.
        char state = (char) b[close + 2];
        long ppid = 0;
        long group = 0;
        long session = 0;
        long cpu = 0;
        long threads = 0;
        long started = 0;
        long rss = 0;
        int field = 3;
        int i = close + 2;
        while (i < n && field <= 24) {
            int startTok = i;
            while (i < n && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
            if (field > 3) {
                long v = number(b, startTok, i);
                if (v == Long.MIN_VALUE) {
                    return null;
                }
                switch (field) {
                    case 4 -> ppid = v;
                    case 5 -> group = v;
                    case 6 -> session = v;
                    // CPU: its own (14, 15) and that of its children it has reaped (16, 17), so a
                    // tree's total does not drop when a short-lived child exits.
                    case 14, 15, 16, 17 -> cpu += v;
                    case 20 -> threads = v;
                    case 22 -> started = v;
                    case 24 -> rss = v;
                    default -> {
                        // not needed, but a number like the rest: anything else is not a stat line
                    }
                }
            }
            field++;
            i++;
        }
        if (field <= 24 || pid < 0) {
            return null;
        }
        return new ProcStat(pid, state, ppid, group, session, started, cpu, (int) threads, rss);
    }

    /** The decimal number in {@code b[from, to)} (trimmed), or Long.MIN_VALUE when it is not one. */
    private static long number(byte[] b, int from, int to) {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        if (from >= to) {
            return Long.MIN_VALUE;
        }
        boolean negative = b[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** A zombie or dead task has exited; it just has not been reaped yet. */
    boolean exited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
