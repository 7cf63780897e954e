package io.tspm.examples.runner.ui;

import io.tspm.Human;
import io.tspm.event.HealthChanged;
import io.tspm.event.InstanceReplaced;
import io.tspm.event.MemoryLimitExceeded;
import io.tspm.event.ProcessAdded;
import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessFailed;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessRemoved;
import io.tspm.event.ProcessStopped;
import io.tspm.event.ReloadFailed;
import io.tspm.event.RestartScheduled;
import io.tspm.event.Scaled;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.HookFailed;

/** The events a person wants to see, in words ({@code web#1 exited: exit code 1 after 3 s}); null for the others. */
public final class EventText {

    private EventText() {
    }

    /** {@code e} in words, or null when it is routine (starting, spawned, stopping). */
    public static String of(SupervisorEvent e) {
        if (e instanceof ProcessReady r) {
            return r.process() + "#" + r.instanceId() + " ready (pid " + r.pid() + ")";
        } else if (e instanceof ProcessExited x) {
            return x.process() + "#" + x.instanceId() + " exited: " + x.status() + " after "
                    + Human.duration(x.uptime());
        } else if (e instanceof RestartScheduled r) {
            return r.process() + "#" + r.instanceId() + " restarts in " + Human.duration(r.delay()) + " (attempt "
                    + r.attempt() + ")";
        } else if (e instanceof ProcessFailed f) {
            return f.process() + "#" + f.instanceId() + " FAILED: " + f.reason();
        } else if (e instanceof ProcessStopped s) {
            return s.process() + "#" + s.instanceId() + " stopped" + (s.pid().isPresent() ? " (" + s.outcome()
                    .name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
        } else if (e instanceof Scaled s) {
            return s.process() + " scaled from " + s.from() + " to " + s.to() + " instances";
        } else if (e instanceof ProcessAdded a) {
            return a.process() + " added (" + a.instances() + " instances)";
        } else if (e instanceof ProcessRemoved r) {
            return r.process() + " removed";
        } else if (e instanceof ReloadFailed r) {
            return r.process() + "#" + r.instanceId() + " reload failed: " + r.reason();
        } else if (e instanceof InstanceReplaced r) {
            return r.process() + "#" + r.instanceId() + " replaced by pid " + r.newPid();
        } else if (e instanceof HealthChanged h) {
            return h.process() + "#" + h.instanceId() + (h.ready() ? " healthy again" : " not ready: " + h.probe());
        } else if (e instanceof MemoryLimitExceeded m) {
            return m.process() + "#" + m.instanceId() + " over its memory limit (" + Human.bytes(m.memoryBytes())
                    + " > " + Human.bytes(m.limitBytes()) + ")";
        } else if (e instanceof HookFailed h) {
            return h.process() + "#" + h.instanceId() + " " + h.phase() + " hook failed: " + h.reason();
        }
        return null;
    }
}
