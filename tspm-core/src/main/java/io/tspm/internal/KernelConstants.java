package io.tspm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's clock tick rate (the unit of CPU times in /proc) and page size (the unit of resident
 * memory there), read from the auxiliary vector the kernel handed this JVM at exec
 * ({@code /proc/self/auxv}): one small file, no {@code getconf} process. Where it cannot be read,
 * Linux's usual 100 ticks per second and 4 KiB pages.
 *
 * @param clockTicksPerSecond {@code AT_CLKTCK}, as {@code getconf CLK_TCK}
 * @param pageSize            {@code AT_PAGESZ} in bytes, as {@code getconf PAGESIZE}
 */
record KernelConstants(long clockTicksPerSecond, long pageSize) {

    static final KernelConstants DEFAULT = new KernelConstants(100, 4096);

    private static final long AT_NULL = 0;
    private static final long AT_PAGESZ = 6;
    private static final long AT_CLKTCK = 17;

    /** This JVM's values. */
    static KernelConstants read() {
        try {
            return parse(Files.readAllBytes(Path.of("/proc/self/auxv")), wordBytes(), ByteOrder.nativeOrder());
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return DEFAULT;
        }
    }

    /** The values in an auxiliary vector: (type, value) pairs of native words up to {@code AT_NULL}. */
    static KernelConstants parse(byte[] auxv, int wordBytes, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(auxv).order(order);
        long ticks = DEFAULT.clockTicksPerSecond;
        long page = DEFAULT.pageSize;
        while (b.remaining() >= 2 * wordBytes) {
            long type = word(b, wordBytes);
            long value = word(b, wordBytes);
            if (type == AT_NULL) {
                break;
            }
            if (type == AT_CLKTCK && value > 0) {
                ticks = value;
            } else if (type == AT_PAGESZ && value > 0) {
                page = value;
            }
        }
        return new KernelConstants(ticks, page);
    }

    private static long word(ByteBuffer b, int wordBytes) {
        return wordBytes == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
    }

    /** The JVM's word size: the auxiliary vector is in the process's own. */
    private static int wordBytes() {
        String model = System.getProperty("sun.arch.data.model", "");
        if (!model.isEmpty()) {
            return "32".equals(model) ? 4 : 8;
        }
        return System.getProperty("os.arch", "").contains("64") ? 8 : 4;
    }
}
