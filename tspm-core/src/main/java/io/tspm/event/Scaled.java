package io.tspm.event;

import java.time.Instant;

/** A process was scaled from {@code from} to {@code to} instances. */
public record Scaled(Instant time, String process, int from, int to) implements SupervisorEvent {
}
