/**
 * The typed, immutable events a supervisor emits, received by a
 * {@link io.tspm.event.SupervisorListener}: one {@link io.tspm.event.TransitionEvent} per state
 * transition of an instance, and others for what is not a transition (readiness, memory limits,
 * reloads, scaling, log files).
 */
package io.tspm.event;
