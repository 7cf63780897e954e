package io.tspm;

/**
 * What else restarts when an instance of a process exits and is restarted (OTP's supervisor
 * strategies). Set per process with {@link ProcessSpec.Builder#restartStrategy}.
 */
public enum RestartStrategy {
    /** Only the instance that exited. */
    ONE_FOR_ONE,
    /**
     * Every instance of the process: the siblings of the one that exited are restarted at once
     * (stopped with the normal stop sequence, then started), it follows after its restart delay.
     */
    ONE_FOR_ALL,
    /**
     * The instance that exited, then every process that depends on this one ({@code dependsOn},
     * transitively): they are stopped at once, dependents first, and started again in dependency
     * order once the instance runs again. If it is given up on, they stay stopped.
     */
    REST_FOR_ONE
}
