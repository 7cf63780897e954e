package io.tspm.internal;

import io.tspm.ProcessStartException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The waits for readiness of one instance that runs unready or is between starts. Guarded by the
 * instance's lock; the futures are completed by the actions {@link #settle} returns, which the
 * instance runs after releasing its lock. A waiter that timed out or was cancelled removes itself.
 */
final class ReadyWaiters {

    private final Object lock;
    private final String process;
    private final int id;
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    /** @param lock the instance's lock, which guards this */
    ReadyWaiters(Object lock, String process, int id) {
        this.lock = lock;
        this.process = process;
        this.id = id;
    }

    /** A new waiter (call with the lock held). */
    CompletableFuture<Void> add() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        waiter.whenComplete((x, e) -> {
            synchronized (lock) {
                waiters.remove(waiter);
            }
        });
        return waiter;
    }

    /**
     * Takes every waiter (call with the lock held) and returns what completes them: ready when
     * {@code failure} is null, else failed with it and the last lines of output; null when none waits.
     */
    Runnable settle(String failure, Supplier<List<String>> lastLines) {
        if (waiters.isEmpty()) {
            return null;
        }
        List<CompletableFuture<Void>> taken = new ArrayList<>(waiters);
        waiters.clear();
        if (failure == null) {
            return () -> taken.forEach(w -> w.complete(null));
        }
        List<String> lines = lastLines.get();
        return () -> taken.forEach(w -> w.completeExceptionally(
                new ProcessStartException(process, id, "not ready: " + failure, lines, null)));
    }
}
