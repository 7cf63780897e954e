package io.tspm.internal;

import io.tspm.Human;
import io.tspm.CrashStats;
import io.tspm.ExitRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last N exits of an instance, oldest first. A record is added when the exit is seen; its
 * output lines are filled in once the process's output has been read to the end (or a short wait
 * passed), so the lines a process printed just before dying are not lost to the race.
 */
final class ExitHistory {

    /** A kept record whose output may still arrive. */
    final class Slot {
        private ExitRecord record;

        void output(List<String> lines) {
            synchronized (ExitHistory.this) {
                ExitRecord r = record;
                record = new ExitRecord(r.time(), r.pid(), r.status(), r.uptime(), r.requested(), r.decision(),
                        r.delay(), r.reason(), lines);
            }
        }
    }

    private final int capacity;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private int crashes;

    ExitHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized Slot add(ExitRecord record) {
        Slot s = new Slot();
        s.record = record;
        slots.addLast(s);
        if (slots.size() > capacity) {
            slots.pollFirst();
        }
        if (record.isCrash()) {
            crashes++;
        }
        return s;
    }

    /** Forgets every record and the crash count (a reset that asked for it). */
    synchronized void clear() {
        slots.clear();
        crashes = 0;
    }

    synchronized List<ExitRecord> records() {
        List<ExitRecord> out = new ArrayList<>(slots.size());
        slots.forEach(s -> out.add(s.record));
        return out;
    }

    /** The last {@code n} records, newest last. */
    synchronized List<ExitRecord> last(int n) {
        List<ExitRecord> all = records();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /**
     * This exit (not yet in the history) and the {@code earlier} last ones, newest first, for a
     * give-up message: "exit code 1 after 3 ms, exit code 1 after 2 ms, ...".
     */
    synchronized String describeLast(io.tspm.ExitStatus status, Duration uptime, int earlier) {
        StringBuilder sb = new StringBuilder(status + " after " + Human.duration(uptime));
        List<ExitRecord> last = last(earlier);
        for (int i = last.size() - 1; i >= 0; i--) {
            ExitRecord r = last.get(i);
            sb.append(", ").append(r.status()).append(" after ").append(Human.duration(r.uptime()));
        }
        return sb.toString();
    }

    synchronized CrashStats stats(int restartsInWindow, Duration currentBackoff) {
        long uptimeNanos = 0;
        int counted = 0;
        Instant lastCrash = null;
        for (Slot s : slots) {
            if (s.record.isCrash()) {
                uptimeNanos += s.record.uptime().toNanos();
                counted++;
                lastCrash = s.record.time();
            }
        }
        return new CrashStats(crashes, restartsInWindow, currentBackoff,
                counted == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(uptimeNanos / counted)),
                Optional.ofNullable(lastCrash));
    }
}
