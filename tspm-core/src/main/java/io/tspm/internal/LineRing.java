package io.tspm.internal;

import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last N lines of an instance's output, kept in memory across its restarts, in the order they
 * arrived across stdout and stderr. Each line carries its arrival number (taken when the read that
 * brought it returned); one stream's pump may hand a line in after the other stream's later lines
 * (its log file was slow), so a line is put back behind the lines that arrived after it.
 *
 * <p>Lines are kept as the bytes the child wrote, in arrays that are reused once the ring wraps,
 * and decoded to {@link OutputLine}s only when read (once each): a child printing a million lines
 * nobody looks at costs a copy per line, not a string and its objects.
 */
final class LineRing {

    /** How far back a late line is moved at most, so a pathological stall costs bounded work per line. */
    private static final int MAX_SHIFT = 4096;

    /**
     * Where the ring starts, with its first line: most processes print little, many nothing at all,
     * and 1,000 children must not cost 12 KB each.
     */
    private static final int INITIAL = 16;
    private static final int[] NO_LINES = new int[0];

    private final int capacity;
    private final String process;
    private final int instanceId;
    // One slot per line, in parallel arrays; grown by doubling up to capacity, only before the
    // ring first wraps (so indices hold).
    private byte[][] bytes;
    private int[] lengths = NO_LINES; // the other arrays are null until the first line
    private Instant[] times;
    private long[] pids;
    private OutputStreamKind[] kinds;
    private long[] arrivals;
    /** The decoded line, once someone asked for it (or it was decoded for a consumer when it came). */
    private OutputLine[] decoded;
    private long written;

    LineRing(int capacity, String process, int instanceId) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.capacity = capacity;
        this.process = process;
        this.instanceId = instanceId;
    }

    private void allocate(int n) {
        bytes = bytes == null ? new byte[n][] : Arrays.copyOf(bytes, n);
        lengths = lengths.length == 0 ? new int[n] : Arrays.copyOf(lengths, n);
        times = times == null ? new Instant[n] : Arrays.copyOf(times, n);
        pids = pids == null ? new long[n] : Arrays.copyOf(pids, n);
        kinds = kinds == null ? new OutputStreamKind[n] : Arrays.copyOf(kinds, n);
        arrivals = arrivals == null ? new long[n] : Arrays.copyOf(arrivals, n);
        decoded = decoded == null ? new OutputLine[n] : Arrays.copyOf(decoded, n);
    }

    /**
     * Adds a line that arrived as number {@code arrival} (ascending per stream, shared by both):
     * its bytes are copied; {@code line} is its decoded form when the caller has one, else null.
     */
    synchronized void add(byte[] src, int off, int len, Instant time, long pid, OutputStreamKind kind,
            OutputLine line, long arrival) {
        put(src, off, len, time, pid, kind, line, arrival);
    }

    /**
     * Adds the {@code n} lines of one read, {@code src[starts[i] .. starts[i] + lengths[i])}, with
     * their decoded forms when the caller has them ({@code lines}, else null).
     */
    synchronized void addAll(byte[] src, int[] starts, int[] lengths, int n, Instant time, long pid,
            OutputStreamKind kind, OutputLine[] lines, long arrival) {
        // More lines than the ring holds: the first ones would be pushed out by the later ones.
        for (int i = Math.max(0, n - capacity); i < n; i++) {
            put(src, starts[i], lengths[i], time, pid, kind, lines == null ? null : lines[i], arrival);
        }
    }

    private void put(byte[] src, int off, int len, Instant time, long pid, OutputStreamKind kind,
            OutputLine line, long arrival) {
        if (written == lengths.length && lengths.length < capacity) {
            allocate((int) Math.min(capacity, Math.max(INITIAL, 2L * lengths.length)));
        }
        int n = lengths.length;
        long low = Math.max(Math.max(0, written - n + 1), written - MAX_SHIFT);
        long at = written;
        int free = (int) (at % n);
        byte[] spare = bytes[free]; // the array of the line this one pushes out, for reuse
        while (at > low && arrivals[(int) ((at - 1) % n)] > arrival) {
            move((int) ((at - 1) % n), (int) (at % n));
            at--;
        }
        int slot = (int) (at % n);
        if (spare == null || spare.length < len || spare.length > 2 * len + 64) {
            spare = new byte[(len + 31) & ~31]; // a little slack, so lines of similar lengths reuse it
        }
        System.arraycopy(src, off, spare, 0, len);
        bytes[slot] = spare;
        lengths[slot] = len;
        times[slot] = time;
        pids[slot] = pid;
        kinds[slot] = kind;
        arrivals[slot] = arrival;
        decoded[slot] = line;
        written++;
    }

    private void move(int from, int to) {
        bytes[to] = bytes[from];
        lengths[to] = lengths[from];
        times[to] = times[from];
        pids[to] = pids[from];
        kinds[to] = kinds[from];
        arrivals[to] = arrivals[from];
        decoded[to] = decoded[from];
    }

    /**
     * The texts of the last {@code n} lines of process {@code pid}, oldest first: read from the
     * newest back, so an exit of a chatty process decodes its last few lines, not the whole ring.
     */
    synchronized List<String> lastTextsOf(long pid, int n) {
        int size = lengths.length;
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>(Math.min(n, 16));
        for (long k = written - 1; k >= Math.max(0, written - size) && out.size() < n; k--) {
            int slot = (int) (k % size);
            if (pids[slot] == pid) {
                out.addFirst(decoded(slot).text());
            }
        }
        return new ArrayList<>(out);
    }

    private OutputLine decoded(int slot) {
        OutputLine line = decoded[slot];
        if (line == null) {
            line = new OutputLine(times[slot], process, instanceId, pids[slot], kinds[slot],
                    new String(bytes[slot], 0, lengths[slot], StandardCharsets.UTF_8));
            decoded[slot] = line;
        }
        return line;
    }

    /** The last {@code n} lines, oldest first. */
    synchronized List<OutputLine> last(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, but was " + n);
        }
        int size = lengths.length;
        int count = (int) Math.min(Math.min(n, size), written);
        List<OutputLine> out = new ArrayList<>(count);
        for (long k = written - count; k < written; k++) {
            out.add(decoded((int) (k % size)));
        }
        return out;
    }
}
