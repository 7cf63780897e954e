package io.tspm.event;

import java.time.Instant;

/**
 * An instance's process tree stayed above its memory limit for the configured number of samples;
 * it is restarted (through the restart policy, and counted as a crash).
 */
public record MemoryLimitExceeded(Instant time, String process, int instanceId, long memoryBytes, long limitBytes,
        int samples) implements InstanceEvent {
}
