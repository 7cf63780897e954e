package io.tspm.event;

import io.tspm.HookPhase;
import java.time.Instant;
import java.util.List;

/**
 * A lifecycle hook failed: it exited non-zero, threw, or ran past its timeout. A failed preStart
 * also fails that start (an exit record and the restart policy follow); the other phases go on.
 *
 * @param phase      when it ran
 * @param hook       the hook, as its {@code toString} reads
 * @param reason     what went wrong, in words
 * @param lastOutput the hook's last lines of output (command and shell hooks), oldest first
 */
public record HookFailed(Instant time, String process, int instanceId, HookPhase phase, String hook, String reason,
        List<String> lastOutput) implements InstanceEvent {

    /** Copies the lines. */
    public HookFailed {
        lastOutput = List.copyOf(lastOutput);
    }
}
