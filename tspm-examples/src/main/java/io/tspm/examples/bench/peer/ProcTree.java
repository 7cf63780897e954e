package io.tspm.examples.bench.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the benchmark sees of a supervisor from outside, in /proc: its children (through every
 * thread's {@code task/<tid>/children}, the thread that forked a child being its parent), what a
 * child runs and its state, a resident set size. The threads that forked are remembered and read
 * on every call; all of them at most every {@link #FULL_SCAN_NANOS} ns, so a supervisor with
 * thousands of threads (a JVM with a reader thread per pipe) costs the observer little.
 */
final class ProcTree {

    /** A full scan of the threads at most this often; the known forking threads on each call. */
    static final long FULL_SCAN_NANOS = 100_000_000;

    private final long pid;
    private final Set<Long> forkers = new LinkedHashSet<>();
    private long lastFullScan;

    ProcTree(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** The supervisor's children now (zombies included: {@link #stat} tells them apart). */
    List<Long> children() {
        long now = System.nanoTime();
        boolean full = forkers.isEmpty() || now - lastFullScan > FULL_SCAN_NANOS;
        List<Long> out = new ArrayList<>();
        if (full) {
            lastFullScan = now;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    long tid = Long.parseLong(task.getFileName().toString());
                    if (readChildren(tid, out)) {
                        forkers.add(tid);
                    }
                }
            } catch (IOException e) {
                return out; // the supervisor is gone
            }
        } else {
            for (long tid : forkers) {
                readChildren(tid, out);
            }
        }
        return out;
    }

    private boolean readChildren(long tid, List<Long> out) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "children"));
        } catch (IOException e) {
            return false; // the thread ended
        }
        parseChildren(text, out);
        return !text.isBlank();
    }

    static void parseChildren(String text, List<Long> out) {
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(Long.parseLong(w));
            }
        }
    }

    /** A process's name (what it runs) and state, from /proc/pid/stat; null when it is gone. */
    record Stat(String comm, char state) {
        boolean alive() {
            return state != 'Z' && state != 'X';
        }
    }

    static Stat stat(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** "pid (comm) S ..." where comm may hold spaces and parentheses: the last ')' ends it. */
    static Stat parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        return new Stat(line.substring(open + 1, close), line.charAt(close + 2));
    }

    /** VmRSS in KiB, -1 when the process is gone. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static int threads(long pid) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            int n = 0;
            for (Path ignored : tasks) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every descendant of {@code pid} now (children of children too), as handles that check start times. */
    static List<ProcessHandle> descendants(long pid) {
        return ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
    }

    /**
     * Kills {@code pid} and its tree: stopped first (SIGSTOP) so that it spawns nothing while its
     * descendants are listed, then SIGKILL to all. Does nothing when it is gone.
     */
    static void killTree(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            signal(pid, "STOP");
            List<ProcessHandle> tree = h.descendants().toList();
            h.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        });
    }

    /** {@code kill -SIG pid}: the JDK sends only TERM and KILL. */
    static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
