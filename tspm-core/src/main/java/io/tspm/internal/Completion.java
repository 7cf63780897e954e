package io.tspm.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Future helpers the engine and the supervisor share. */
final class Completion {

    private Completion() {
    }

    /**
     * Like {@code allOf}, but fails as soon as one fails, where {@code allOf} waits for all: a
     * start must fail fast when one instance dies while others still wait on their probes.
     */
    public static CompletableFuture<Void> allOrFirstFailure(List<? extends CompletableFuture<?>> futures) {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
        for (CompletableFuture<?> f : futures) {
            f.whenComplete((x, e) -> {
                if (e != null) {
                    all.completeExceptionally(e);
                }
            });
        }
        return all;
    }
}
