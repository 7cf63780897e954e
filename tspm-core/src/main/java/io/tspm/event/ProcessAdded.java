package io.tspm.event;

import java.time.Instant;

/**
 * A process was added to the supervisor.
 *
 * @param instances how many instances its spec declares
 */
public record ProcessAdded(Instant time, String process, int instances) implements SupervisorEvent {

}
