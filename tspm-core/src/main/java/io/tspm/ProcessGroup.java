package io.tspm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime handle of one {@link ProcessSpec}: its instances, and operations on all of them at
 * once (in parallel). Thread-safe; obtained from {@link Supervisor#group(String)}.
 *
 * <p>Every blocking method is bounded: without a timeout it waits up to the supervisor's
 * {@linkplain Supervisor.Builder#startTimeout start timeout}. A timeout ends the wait, not the
 * operation, and throws {@link ProcessStartException} for the first instance that is not ready,
 * naming its state, its probe's last result and its last lines of output. Failures are thrown on
 * the caller's thread, with the failure on the supervisor's thread as the cause.
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

    /**
     * The instances that may take traffic now, as an immutable, versioned view (see
     * {@link io.tspm.spi.Endpoints}); a new one is published on every change.
     */
    io.tspm.spi.Endpoints endpoints();

    /**
     * Picks an instance for one piece of work through the group's load balancer, for a client that
     * balances its own connections: the lease counts the work in the instance's in-flight count until
     * closed. Empty when no instance may take traffic (at once: it never waits).
     */
    java.util.Optional<Lease> pick(io.tspm.spi.PickContext context);

    /** {@link #pick(io.tspm.spi.PickContext)} with nothing to say about the work. */
    default java.util.Optional<Lease> pick() {
        return pick(io.tspm.spi.PickContext.NONE);
    }

    /** Hears of every new endpoints view, after the supervisor's locks are released; must return quickly. */
    void addEndpointsListener(java.util.function.Consumer<io.tspm.spi.Endpoints> listener);

    /** Stops telling {@code listener} of new views. */
    void removeEndpointsListener(java.util.function.Consumer<io.tspm.spi.Endpoints> listener);

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
    void scale(int instances);

    /** {@link #scale(int)}, waiting up to {@code timeout}. */
    void scale(int instances, Duration timeout);

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

    /** {@link #reloadAsync()} and wait; throws {@link TspmException} when the reload fails. */
    void reload();

    /** {@link #reload()}, waiting up to {@code timeout} (a reload of many instances may need more than the start timeout). */
    void reload(Duration timeout);

    CompletableFuture<Void> startAsync();

    CompletableFuture<Void> stopAsync();

    CompletableFuture<Void> restartAsync();

    /** Starts every instance and waits until all are ready; throws {@link ProcessStartException} for the first that fails. */
    void start();

    /** {@link #start()}, waiting up to {@code timeout}. */
    void start(Duration timeout);

    /**
     * Stops every instance in parallel and waits until all are stopped (bounded by the stop
     * timeout, after which what is left is killed).
     */
    void stop();

    /** Restarts every instance in parallel and waits until all are ready again. */
    void restart();

    /** {@link #restart()}, waiting up to {@code timeout}. */
    void restart(Duration timeout);

    /**
     * Waits until every instance is RUNNING and ready, without starting any; throws
     * {@link ProcessStartException} at once when one is stopped, fails or exits for good.
     */
    void awaitReady(Duration timeout);

    /**
     * Restarts the running instances {@code reloadBatch} at a time: each batch is stopped, started
     * and ready before the next is touched, so the others keep serving (on the same ports, unlike
     * {@link #reload()}, which starts replacements first). Fails at the first instance that does
     * not come back, leaving the rest as they are.
     */
    CompletableFuture<Void> rollingRestartAsync();

    /**
     * Sets every instance's restart count, crash-loop window and backoff back to zero; the exit
     * histories stay unless {@code clearExitHistory}.
     */
    default void reset(boolean clearExitHistory) {
        instances().forEach(i -> i.reset(clearExitHistory));
    }

    /**
     * Empties this process's open log files, as PM2's {@code flush <name>}; its rotated files,
     * its recent lines and other processes' files stay, and lines keep coming.
     */
    void flushLogs();

    /** {@link #rollingRestartAsync()} and wait. */
    void rollingRestart();

    /** {@link #rollingRestart()}, waiting up to {@code timeout}. */
    void rollingRestart(Duration timeout);
}
