package io.tspm;

/** How a stop request ended for one instance. */
public enum StopOutcome {
    /** The process and its descendants exited after the stop signal, within the stop timeout. */
    GRACEFUL,
    /** Something was still alive at the stop timeout and was killed with SIGKILL. */
    KILLED,
    /** There was no live process to stop. */
    NOT_RUNNING
}
