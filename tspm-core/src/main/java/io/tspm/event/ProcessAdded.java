package io.tspm.event;

import java.time.Instant;

/**
 * A process was added to the supervisor.
 *
 * @param instances how many instances its spec declares
 * @param namespace its namespace
 * @param labels    its labels, so a listener can follow a selector's processes by their names
 */
public record ProcessAdded(Instant time, String process, int instances, String namespace, java.util.Map<String, String> labels)
        implements SupervisorEvent {

    /** Copies the labels. */
    public ProcessAdded {
        labels = java.util.Map.copyOf(labels);
    }
}
