package io.tspm.internal;

import io.tspm.ProcessSpec;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out the group strategies (ONE_FOR_ALL, REST_FOR_ONE) that reach past one instance; the
 * supervisor, which knows every process and the dependency graph, implements it.
 */
interface RestartCoordinator {

    /**
     * An instance of {@code spec} exited unexpectedly and is to be restarted.
     *
     * @param running completes when the instance runs again; fails if it never does (given up, stopped)
     * @return completes when the instance may restart (REST_FOR_ONE: once its dependents stopped)
     */
    CompletableFuture<Void> restarting(ProcessSpec spec, int instanceId, CompletableFuture<Void> running);
}
