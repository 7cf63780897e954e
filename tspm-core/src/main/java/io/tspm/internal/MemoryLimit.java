package io.tspm.internal;

import java.util.Locale;

/**
 * Counts an instance's resource samples in a row over its memory limit, and says when the limit
 * is exceeded. Not thread-safe: the instance's lock guards it.
 */
final class MemoryLimit {

    private final long limitBytes;
    private final int samples;
    private int over;

    MemoryLimit(long limitBytes, int samples) {
        this.limitBytes = limitBytes;
        this.samples = samples;
    }

    long limitBytes() {
        return limitBytes;
    }

    /** How many samples in a row have been over the limit. */
    int over() {
        return over;
    }

    /** Takes one sample; true once {@code samples} samples in a row were over the limit. */
    boolean exceededBy(long usedBytes) {
        if (usedBytes <= limitBytes) {
            over = 0;
            return false;
        }
        over++;
        return over >= samples;
    }

    void reset() {
        over = 0;
    }

    /** "memory limit exceeded: 187.2 MiB > 150.0 MiB for 2 samples in a row" */
    String reason(long usedBytes) {
        return "memory limit exceeded: " + mib(usedBytes) + " > " + mib(limitBytes) + " for " + over
                + (over == 1 ? " sample" : " samples in a row");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
