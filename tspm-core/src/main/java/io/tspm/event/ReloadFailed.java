package io.tspm.event;

import java.time.Instant;

/**
 * A rolling reload gave up on a replacement: it was not ready within the reload timeout, it failed,
 * or the instance (or the whole process) was stopped meanwhile. The replacement is stopped; the
 * old instance keeps serving unless it was the one stopped.
 */
public record ReloadFailed(Instant time, String process, int instanceId, String reason) implements SupervisorEvent {
}
