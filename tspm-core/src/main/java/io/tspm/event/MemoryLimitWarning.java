package io.tspm.event;

import java.time.Instant;

/**
 * An instance's process tree crossed the warning share of its memory limit (80% by default), before
 * the limit restarts it (TurboProcess warns before it restarts). Once per crossing: it fires again
 * only after a sample below the share.
 *
 * @param memoryBytes the tree's resident memory at the sample
 * @param limitBytes  the memory limit
 * @param ratio       the share of the limit that warns
 */
public record MemoryLimitWarning(Instant time, String process, int instanceId, long memoryBytes, long limitBytes,
        double ratio) implements InstanceEvent {
}
