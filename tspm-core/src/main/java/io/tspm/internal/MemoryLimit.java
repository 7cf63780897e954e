package io.tspm.internal;

import io.tspm.Human;

/**
 * Counts an instance's resource samples in a row over its memory limit, says when the limit is
 * exceeded, and when the tree first crosses the warning share of it. Not thread-safe: the
 * instance's lock guards it.
 */
final class MemoryLimit {

    private final long limitBytes;
    private final int samples;
    private final double warningRatio;
    private int over;
    /** Whether the last sample was at or above the warning share (a warning fires on the way up). */
    private boolean warned;

    MemoryLimit(long limitBytes, int samples, double warningRatio) {
        this.limitBytes = limitBytes;
        this.samples = samples;
        this.warningRatio = warningRatio;
    }

    double warningRatio() {
        return warningRatio;
    }

    /** Takes one sample for the warning: true when it crosses the share (once per crossing). */
    boolean warnedBy(long usedBytes) {
        boolean above = usedBytes >= (long) (limitBytes * warningRatio);
        boolean crossed = above && !warned;
        warned = above;
        return crossed;
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
        warned = false;
    }

    /** "memory limit exceeded: 187.2 MiB > 150 MiB for 2 samples in a row" */
    String reason(long usedBytes) {
        return "memory limit exceeded: " + Human.bytes(usedBytes) + " > " + Human.bytes(limitBytes) + " for " + over
                + (over == 1 ? " sample" : " samples in a row");
    }
}
