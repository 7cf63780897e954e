package io.tspm.event;

/**
 * Receives the events of a supervisor, in order, on the supervisor's event thread. A listener
 * should return quickly: events wait for the listeners in a bounded buffer (64 Ki events), and
 * while listeners are that far behind, newer events are dropped for them and counted (with one
 * warning per burst); the engine never waits for a listener. One that throws is logged at WARN
 * and keeps receiving events.
 */
@FunctionalInterface
public interface SupervisorListener {

    void onEvent(SupervisorEvent event);
}
