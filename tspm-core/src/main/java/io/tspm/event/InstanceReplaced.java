package io.tspm.event;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * A reload swapped a ready replacement in: from now on the instance is the process {@code newPid}.
 * The old process {@code oldPid} drains and stops; its {@link ProcessStopping} and
 * {@link ProcessStopped}, which follow, carry its pid, so a listener that follows instances by id
 * can tell them from the replacement's. {@code oldPid} is empty when the old instance was not
 * running at the swap (it had just exited, or was restarting); then no stop of it follows.
 */
public record InstanceReplaced(Instant time, String process, int instanceId, OptionalLong oldPid, long newPid)
        implements InstanceEvent {

    /** {@code InstanceReplaced[time=..., process=web, instanceId=0, oldPid=123, newPid=456]}. */
    @Override
    public String toString() {
        return "InstanceReplaced[time=" + time + ", process=" + process + ", instanceId=" + instanceId + ", oldPid="
                + (oldPid.isPresent() ? Long.toString(oldPid.getAsLong()) : "none") + ", newPid=" + newPid + "]";
    }
}
