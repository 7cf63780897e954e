package io.tspm;

/** What a process waits for in a process it depends on, as process-compose's {@code depends_on}. */
public enum DependencyCondition {
    /** The dependency's instances were spawned (they need not be ready). */
    STARTED,
    /** The dependency's instances are RUNNING and ready (the default). */
    READY,
    /**
     * The dependency, a {@linkplain ProcessSpec#oneShot() one-shot task} (a migration, a schema
     * load), exited 0; its failure fails the dependents' start with its exit and last lines.
     */
    COMPLETED
}
