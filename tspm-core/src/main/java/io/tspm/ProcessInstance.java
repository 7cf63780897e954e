package io.tspm;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One slot of a {@link ProcessGroup} (instance id {@code 0..n-1}) across the successive OS
 * processes that fill it. Thread-safe; obtained from {@link ProcessGroup#instances()}.
 *
 * <p>The blocking methods wait for their async twins; a start throws
 * {@link ProcessStartException} when the instance does not reach {@link InstanceState#RUNNING}.
 */
public interface ProcessInstance {

    /** The process (group) name. */
    String processName();

    int id();

    InstanceState state();

    /** The live OS process id, empty when none runs. */
    OptionalLong pid();

    InstanceSnapshot snapshot();

    /**
     * The last exits of the instance's OS processes, oldest first, at most
     * {@link ProcessSpec#exitHistorySize()} of them: crashes and the exits the supervisor asked for.
     */
    List<ExitRecord> exitHistory();

    /** The last {@code n} lines the instance printed (oldest first), across its restarts. */
    List<String> recentOutput(int n);

    /** Starts the instance unless it runs; completes when it is RUNNING. */
    CompletableFuture<Void> startAsync();

    /** Stops the instance's process tree; completes with how it ended. */
    CompletableFuture<StopOutcome> stopAsync();

    /** Stops, then starts the instance. */
    CompletableFuture<Void> restartAsync();

    default void start() {
        Futures.join(startAsync());
    }

    default StopOutcome stop() {
        return Futures.join(stopAsync());
    }

    default void restart() {
        Futures.join(restartAsync());
    }

    /** Sends {@code signal} to the instance's process (not its descendants); false if none runs. */
    boolean signal(Signal signal);
}
