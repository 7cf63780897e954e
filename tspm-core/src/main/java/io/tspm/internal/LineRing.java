package io.tspm.internal;

import io.tspm.OutputLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The last N lines of an instance's output, kept in memory across its restarts, in the order they
 * arrived across stdout and stderr. Each line carries its arrival number (taken when the read that
 * brought it returned); one stream's pump may hand a line in after the other stream's later lines
 * (its log file was slow), so a line is put back behind the lines that arrived after it.
 */
final class LineRing {

    /** How far back a late line is moved at most, so a pathological stall costs bounded work per line. */
    private static final int MAX_SHIFT = 4096;

    /** Where the ring starts: most processes print little, and 1,000 children must not cost 12 KB each. */
    private static final int INITIAL = 16;

    private final int capacity;
    /** Grown by doubling up to {@link #capacity}, only before the ring first wraps (so indices hold). */
    private OutputLine[] lines;
    private long[] arrivals;
    private long written;

    LineRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.capacity = capacity;
        this.lines = new OutputLine[Math.min(capacity, INITIAL)];
        this.arrivals = new long[lines.length];
    }

    /** Adds a line that arrived as number {@code arrival} (ascending per stream, shared by both). */
    synchronized void add(OutputLine line, long arrival) {
        if (written == lines.length && lines.length < capacity) {
            int grown = (int) Math.min(capacity, 2L * lines.length);
            lines = java.util.Arrays.copyOf(lines, grown);
            arrivals = java.util.Arrays.copyOf(arrivals, grown);
        }
        int n = lines.length;
        long low = Math.max(Math.max(0, written - n + 1), written - MAX_SHIFT);
        long at = written;
        while (at > low && arrivals[(int) ((at - 1) % n)] > arrival) {
            int from = (int) ((at - 1) % n);
            int to = (int) (at % n);
            lines[to] = lines[from];
            arrivals[to] = arrivals[from];
            at--;
        }
        lines[(int) (at % n)] = line;
        arrivals[(int) (at % n)] = arrival;
        written++;
    }

    /** The last {@code n} lines, oldest first. */
    synchronized List<OutputLine> last(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, but was " + n);
        }
        int count = (int) Math.min(Math.min(n, lines.length), written);
        List<OutputLine> out = new ArrayList<>(count);
        for (long k = written - count; k < written; k++) {
            out.add(lines[(int) (k % lines.length)]);
        }
        return out;
    }
}
