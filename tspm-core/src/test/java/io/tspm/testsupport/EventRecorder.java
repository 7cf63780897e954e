package io.tspm.testsupport;

import io.tspm.event.InstanceEvent;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records every event, for assertions on what happened and in which order. */
public final class EventRecorder implements SupervisorListener {

    private final List<SupervisorEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SupervisorEvent event) {
        events.add(event);
    }

    public List<SupervisorEvent> all() {
        return new ArrayList<>(events);
    }

    public <T extends SupervisorEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    public <T extends SupervisorEvent> List<T> of(Class<T> type, String process) {
        return of(type).stream().filter(e -> e.process().equals(process)).collect(Collectors.toList());
    }

    /** The simple class names of one instance's events, in order. */
    public List<String> names(String process, int instanceId) {
        return events.stream()
                .filter(e -> e instanceof InstanceEvent && e.process().equals(process)
                        && ((InstanceEvent) e).instanceId() == instanceId)
                .map(e -> e.getClass().getSimpleName())
                .collect(Collectors.toList());
    }
}
