package io.tspm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime handle of one {@link ProcessSpec}: its instances, and operations on all of them at
 * once (in parallel). Thread-safe; obtained from {@link Supervisor#group(String)}.
 */
public interface ProcessGroup {

    String name();

    ProcessSpec spec();

    /** The instances, by id (handles as {@link #instance(int)} gives them). */
    List<ProcessInstance> instances();

    /**
     * The instance with this id; {@link IndexOutOfBoundsException} when there is none. The handle
     * follows the id through reloads (it then speaks for the replacement). Once the id is scaled
     * away the handle stays with that retired instance and refuses to start; after scaling back
     * up, ask for the id again.
     */
    ProcessInstance instance(int id);

    List<InstanceSnapshot> snapshot();

    /** Adds a listener to every instance of the process. */
    default void addLineListener(LineListener listener) {
        instances().forEach(i -> i.addLineListener(listener));
    }

    default void removeLineListener(LineListener listener) {
        instances().forEach(i -> i.removeLineListener(listener));
    }

    /**
     * Scales to {@code instances} while running: new instances take the next ids (and ports) and
     * start; on the way down the highest ids stop (normal stop sequence) and go. Ids stay 0..n-1.
     */
    CompletableFuture<Void> scaleAsync(int instances);

    /** {@link #scaleAsync} and wait: throws {@link ProcessStartException} if a new instance cannot start. */
    default void scale(int instances) {
        Futures.join(scaleAsync(instances));
    }

    /**
     * A rolling, zero-downtime reload: {@code reloadBatch} instances at a time, each replacement is
     * started (on the slot's other port) and must become ready before the old one is taken out,
     * drained and stopped. A replacement that is not ready within {@code reloadTimeout} is stopped,
     * the old one keeps serving, and the reload fails with the reason. Stopped instances stay stopped.
     * A handle from {@link #instance(int)} follows its slot: after the reload it speaks for the
     * replacement (its line listeners were given to the replacement before it started). A stop of
     * an instance, or of the group, during a reload stops its replacement too, and the reload fails.
     */
    CompletableFuture<Void> reloadAsync();

    default void reload() {
        Futures.join(reloadAsync());
    }

    CompletableFuture<Void> startAsync();

    CompletableFuture<Void> stopAsync();

    CompletableFuture<Void> restartAsync();

    /** Starts every instance; throws {@link ProcessStartException} for the first that fails. */
    default void start() {
        Futures.join(startAsync());
    }

    /** Stops every instance in parallel and waits until all are stopped. */
    default void stop() {
        Futures.join(stopAsync());
    }

    /** Restarts every instance in parallel. */
    default void restart() {
        Futures.join(restartAsync());
    }

    /**
     * Restarts the running instances {@code reloadBatch} at a time: each batch is stopped, started
     * and ready before the next is touched, so the others keep serving (on the same ports, unlike
     * {@link #reload()}, which starts replacements first). Fails at the first instance that does
     * not come back, leaving the rest as they are.
     */
    CompletableFuture<Void> rollingRestartAsync();

    default void rollingRestart() {
        Futures.join(rollingRestartAsync());
    }
}
