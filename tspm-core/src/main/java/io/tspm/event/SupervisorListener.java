package io.tspm.event;

/**
 * Receives every event of a supervisor, in order, on the supervisor's event thread. A listener
 * should return quickly; one that throws is logged at WARN and keeps receiving events.
 */
@FunctionalInterface
public interface SupervisorListener {

    void onEvent(SupervisorEvent event);
}
