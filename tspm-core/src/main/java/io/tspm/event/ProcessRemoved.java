package io.tspm.event;

import java.time.Instant;

/** A process was stopped and removed from the supervisor. */
public record ProcessRemoved(Instant time, String process) implements SupervisorEvent {

}
