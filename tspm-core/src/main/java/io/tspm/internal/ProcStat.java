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
 * @param cpuTicks   user plus system CPU time in clock ticks (fields 14 and 15)
 * @param threads    number of threads (field 20)
 * @param rssPages   resident set size in pages (field 24)
 */
public record ProcStat(long pid, char state, long ppid, long processGroup, long session, long startTicks,
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
        return read(PROC.resolve(Long.toString(pid)).resolve("stat"));
    }

    static ProcStat read(Path statFile) {
        String line;
        try {
            line = new String(Files.readAllBytes(statFile), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return null;
        }
        return parse(line);
    }

    /** Parses a stat line; the command name in parentheses may itself hold spaces and parentheses. */
    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= line.length()) {
            return null;
        }
        try {
            long pid = Long.parseLong(line.substring(0, open).trim());
            String[] f = line.substring(close + 2).trim().split(" ");
            // f[0] is field 3 (state); field n is f[n - 3].
            return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[19]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Integer.parseInt(f[17]), Long.parseLong(f[21]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A zombie or dead task has exited; it just has not been reaped yet. */
    boolean exited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
