package io.tspm.event;

import java.time.Instant;

/**
 * An instance's process tree stayed above its memory limit for the configured number of samples;
 * it is restarted through the restart policy, or replaced without downtime under
 * {@link io.tspm.MemoryLimitAction#RELOAD}, and either way counted as a crash.
 *
 * @param memoryBytes the tree's resident memory at the last sample
 * @param limitBytes  the limit it stayed above
 * @param samples     how many samples in a row were above it
 */
public record MemoryLimitExceeded(Instant time, String process, int instanceId, long memoryBytes, long limitBytes,
        int samples) implements InstanceEvent {
}
