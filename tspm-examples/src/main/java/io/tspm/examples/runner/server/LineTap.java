package io.tspm.examples.runner.server;

import io.tspm.LineListener;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.Supervisor;
import io.tspm.event.ProcessAdded;
import io.tspm.event.ProcessStarting;
import io.tspm.event.Scaled;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Hears every line of the instances a filter picks, those of now and those added later (by a
 * scale or an apply): a group's line listener reaches only the instances it has when it is added.
 * {@link #close()} removes every listener.
 */
public final class LineTap implements AutoCloseable {

    private final Supervisor supervisor;
    private final Predicate<String> processes;
    private final LineListener listener;
    private final Set<ProcessInstance> attached = Collections.newSetFromMap(new IdentityHashMap<>());
    private final SupervisorListener events = this::onEvent;
    private volatile boolean closed;

    /** Taps the processes whose names {@code processes} accepts. */
    public LineTap(Supervisor supervisor, Predicate<String> processes, LineListener listener) {
        this.supervisor = supervisor;
        this.processes = processes;
        this.listener = listener;
        supervisor.addListener(events);
        attachAll();
    }

    private void onEvent(SupervisorEvent e) {
        if (e instanceof Scaled || e instanceof ProcessAdded || e instanceof ProcessStarting) {
            attachAll();
        }
    }

    private synchronized void attachAll() {
        if (closed) {
            return;
        }
        for (ProcessGroup g : supervisor.groups()) {
            if (!processes.test(g.name())) {
                continue;
            }
            for (ProcessInstance i : g.instances()) {
                if (attached.add(i)) {
                    i.addLineListener(listener);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        supervisor.removeListener(events);
        for (ProcessInstance i : attached) {
            i.removeLineListener(listener);
        }
        attached.clear();
    }
}
