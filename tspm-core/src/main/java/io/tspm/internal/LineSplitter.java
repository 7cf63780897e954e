package io.tspm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Cuts the bytes of one output stream into lines for its {@link InstanceOutput.Writer}, whatever
 * sizes the reads come in: a line may span reads, a line longer than the bound is split (never
 * buffered without limit), a trailing {@code '\r'} is dropped, and the last partial line is
 * delivered at the end of the stream. Bytes stay bytes: nothing is decoded here.
 *
 * <p>This is what a reader of a child's pipe calls, one splitter per stream, all calls for one
 * stream on one thread at a time: {@link #read} after each read that returned bytes, then
 * {@link #end} once, at end of stream or when the reader gives the stream up. The blocking
 * {@link OutputPump} is one such reader; an event loop serving many pipes is another.
 */
final class LineSplitter {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InstanceOutput.Writer out;
    private final int maxLine;
    private byte[] line = new byte[0]; // grown when a line spans reads
    private int len;

    LineSplitter(InstanceOutput.Writer out, int maxLine) {
        this.out = out;
        this.maxLine = maxLine;
    }

    /** The bytes one read returned ({@code n > 0}); may be reused by the caller once this returns. */
    void read(byte[] buf, int off, int n) {
        out.arrived(); // before any work on the chunk, so the other stream cannot overtake it
        int start = off;
        int end = off + n;
        for (int i; (i = indexOfNewline(buf, start, end)) >= 0; ) {
            // A whole line inside the buffer needs no copy unless a partial one precedes it.
            if (len == 0) {
                emit(buf, start, i - start);
            } else {
                append(buf, start, i - start);
                emit(line, 0, len);
                len = 0;
            }
            start = i + 1;
        }
        if (start < end) {
            append(buf, start, end - start);
            emitLong();
        }
        out.endOfRead();
    }

    /**
     * Where the first '\n' of {@code b[from, to)} is, or -1. Eight bytes at a time: this is the one
     * pass over every byte a child writes. XORed with eight '\n's, a word has a zero byte where it
     * had a '\n'; the zero test may also flag a byte above a true zero (a borrow), never below one,
     * so the lowest flagged byte is the first '\n'.
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The stream ended: delivers the partial last line, and pushes everything to the files. */
    void end() {
        try {
            if (len > 0) { // it came with the last read: no new arrival
                emit(line, 0, len);
                len = 0;
                out.endOfRead();
            }
        } finally {
            out.finish();
        }
    }

    /** Whether the reader should pause this stream a while: its file is behind (see {@link InstanceOutput.Writer#congested}). */
    boolean congested() {
        return out.congested();
    }

    /** Completes when the lines up to {@link #end} are in the file. */
    java.util.concurrent.CompletableFuture<Void> written() {
        return out.written();
    }

    private void append(byte[] src, int off, int count) {
        if (len + count > line.length) {
            line = Arrays.copyOf(line, Math.max(len + count, Math.max(256, line.length * 2)));
        }
        System.arraycopy(src, off, line, len, count);
        len += count;
    }

    /**
     * Emits bound-sized pieces of an over-long pending line while more than the bound is pending;
     * up to the bound stays, so the end of the line is cut the same way whatever the read sizes.
     */
    private void emitLong() {
        if (len <= maxLine) {
            return;
        }
        int off = 0;
        while (len - off > maxLine) {
            out.line(line, off, maxLine);
            off += maxLine;
        }
        System.arraycopy(line, off, line, 0, len - off);
        len -= off;
    }

    private void emit(byte[] b, int off, int count) {
        while (count > maxLine) {
            out.line(b, off, maxLine);
            off += maxLine;
            count -= maxLine;
        }
        if (count > 0 && b[off + count - 1] == '\r') {
            count--;
        }
        out.line(b, off, count);
    }
}
