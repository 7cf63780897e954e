package io.tspm.internal;

import io.tspm.Human;
import io.tspm.InstanceSnapshot;
import io.tspm.ProbeKind;
import io.tspm.ProbeStatus;
import io.tspm.ProcessInstance;
import io.tspm.ProcessStartException;
import io.tspm.TspmException;
import java.time.Duration;
import java.util.List;

/**
 * The exception a blocking call throws when its wait ends before the work: a
 * {@link ProcessStartException} for the first instance that is not ready (its state, the last
 * result of the probe it waits on, its last lines), the other ones not ready as suppressed.
 */
final class NotReady {

    private NotReady() {
    }

    /**
     * @param what the call that waited, in words ("start of process 'web'")
     * @param instances the instances it waited for
     */
    public static RuntimeException after(String what, Duration timeout, List<? extends ProcessInstance> instances) {
        ProcessStartException first = null;
        for (ProcessInstance i : instances) {
            InstanceSnapshot s = i.snapshot();
            if (s.ready()) {
                continue;
            }
            StringBuilder reason = new StringBuilder(what).append(" did not finish within ")
                    .append(Human.duration(timeout)).append(" (the work goes on): not ready, ")
                    .append(s.state());
            s.failureReason().ifPresent(r -> reason.append(": ").append(r));
            for (ProbeStatus p : s.probes()) { // what it waits on: a startup or readiness probe not passing
                if (p.kind() != ProbeKind.LIVENESS && !p.passing()) {
                    reason.append("; ").append(p);
                }
            }
            ProcessStartException e = new ProcessStartException(s.process(), s.instanceId(), reason.toString(),
                    i.recentOutput(ManagedInstance.START_FAILURE_LINES), null);
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            return first;
        }
        return new TspmException(what + " did not finish within " + Human.duration(timeout)
                + " (the work goes on), though every instance is ready");
    }
}
