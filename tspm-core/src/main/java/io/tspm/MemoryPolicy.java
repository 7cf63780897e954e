package io.tspm;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A memory limit on an instance's process tree (PM2's {@code max_memory_restart}): over
 * {@code maxBytes} for {@code samples} samples in a row, it is restarted (a crash, under the
 * restart policy) or replaced by a reload; a {@link io.tspm.event.MemoryLimitWarning} first, when
 * the tree crosses {@code warningRatio} of the limit.
 *
 * @param maxBytes     the limit in bytes, at least 1 MiB; 0 for none
 * @param samples      samples in a row over the limit before acting, 1..1000 (default 3)
 * @param action       restart (default) or, without downtime, reload
 * @param warningRatio the share of the limit that warns, in (0, 1) (default 0.8)
 */
public record MemoryPolicy(long maxBytes, int samples, MemoryLimitAction action, double warningRatio) {

    /** No limit. */
    public static final MemoryPolicy NONE = new MemoryPolicy(0, 3, MemoryLimitAction.RESTART, 0.8);

    /** Checks each. */
    public MemoryPolicy {
        if (maxBytes != 0 && maxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxMemory must be >= 1048576 bytes (1 MiB), but was " + maxBytes);
        }
        Checks.range("memoryLimitSamples", samples, 1, 1000);
        Objects.requireNonNull(action, "memoryLimitAction");
        if (!(warningRatio > 0 && warningRatio < 1)) {
            throw new IllegalArgumentException("memoryWarningRatio must be in (0, 1), but was " + warningRatio);
        }
    }

    /** The limit, empty for none. */
    public OptionalLong limit() {
        return maxBytes == 0 ? OptionalLong.empty() : OptionalLong.of(maxBytes);
    }

    public MemoryPolicy withMaxBytes(long maxBytes) {
        return new MemoryPolicy(maxBytes, samples, action, warningRatio);
    }

    public MemoryPolicy withSamples(int samples) {
        return new MemoryPolicy(maxBytes, samples, action, warningRatio);
    }

    public MemoryPolicy withAction(MemoryLimitAction action) {
        return new MemoryPolicy(maxBytes, samples, action, warningRatio);
    }

    public MemoryPolicy withWarningRatio(double warningRatio) {
        return new MemoryPolicy(maxBytes, samples, action, warningRatio);
    }

    @Override
    public String toString() {
        return maxBytes == 0 ? "MemoryPolicy{none}" : "MemoryPolicy{" + Human.bytes(maxBytes) + " for " + samples
                + " samples: " + action + ", warn at " + Math.round(warningRatio * 100) + "%}";
    }
}
