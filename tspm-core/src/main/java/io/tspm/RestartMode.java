package io.tspm;

/** When an exited instance is started again. */
public enum RestartMode {
    /** After every exit the supervisor did not ask for. */
    ALWAYS,
    /** After an exit whose status is not one of the policy's success exit codes. */
    ON_FAILURE,
    /** Never: an exit is final until the user starts the instance again. */
    NEVER
}
