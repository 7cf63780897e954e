package io.tspm.internal;

import io.tspm.ProcessInstance;
import io.tspm.ProcessStartException;
import io.tspm.event.InstanceEvent;
import io.tspm.event.ProcessFailed;
import io.tspm.event.SupervisorListener;
import java.util.concurrent.CompletableFuture;

/**
 * Waits, through the supervisor's events, until an instance that runs (or is between starts) is
 * ready; fails when it fails for good. For an instance whose readiness probe is failing now.
 */
final class ReadinessWait {

    /** Lines of output a failure carries. */
    private static final int OUTPUT_LINES = 200;

    private ReadinessWait() {
    }

    static CompletableFuture<Void> of(Engine engine, ProcessInstance instance) {
        String process = instance.processName();
        int id = instance.id();
        CompletableFuture<Void> f = new CompletableFuture<>();
        SupervisorListener listener = e -> {
            if (e instanceof InstanceEvent && e.process().equals(process) && ((InstanceEvent) e).instanceId() == id
                    && instance.snapshot().ready()) {
                f.complete(null);
            } else if (e instanceof ProcessFailed && e.process().equals(process)
                    && ((ProcessFailed) e).instanceId() == id) {
                f.completeExceptionally(new ProcessStartException(process, id, ((ProcessFailed) e).reason(),
                        instance.recentOutput(OUTPUT_LINES), null));
            }
        };
        engine.events.addInternal(listener); // never dropped, never behind a user's slow listener
        f.whenComplete((x, e) -> engine.events.removeInternal(listener));
        if (instance.snapshot().ready()) { // it may have got ready before the listener was added
            f.complete(null);
        }
        return f;
    }
}
