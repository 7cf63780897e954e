package io.tspm.internal;

import io.tspm.OutputLine;
import java.util.ArrayList;
import java.util.List;

/** The last N lines of an instance's output, kept in memory across its restarts. */
final class LineRing {

    private final OutputLine[] lines;
    private long written;

    LineRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.lines = new OutputLine[capacity];
    }

    synchronized void add(OutputLine line) {
        lines[(int) (written % lines.length)] = line;
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
