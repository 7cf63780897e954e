package io.tspm.event;

import java.time.Instant;

/** A rolling reload gave up on a replacement: the old instance keeps serving. */
public record ReloadFailed(Instant time, String process, int instanceId, String reason) implements SupervisorEvent {
}
