package io.tspm;

/** What followed one exit of an instance; see {@link ExitRecord}. */
public enum RestartDecision {
    /** The restart policy scheduled a restart. */
    RESTART,
    /** The policy does not restart this exit (a success exit code, or mode NEVER): it rests in EXITED. */
    STAY_EXITED,
    /** The crash-loop limit was reached: FAILED until the user starts it again. */
    GIVE_UP,
    /** The supervisor asked for the exit (stop, restart, a sibling's restart): no policy decision. */
    REQUESTED
}
