package io.tspm;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One slot of a {@link ProcessGroup} (instance id {@code 0..n-1}) across the successive OS
 * processes that fill it. Thread-safe; obtained from {@link ProcessGroup#instances()}.
 *
 * <p>The blocking methods wait for their async twins, bounded: without a timeout up to the
 * supervisor's {@linkplain Supervisor.Builder#startTimeout start timeout}. A start throws
 * {@link ProcessStartException} when the instance does not become ready (it failed, was stopped,
 * or was not ready in time: a timeout ends the wait, not the start). Failures are thrown on the
 * caller's thread, with the failure on the supervisor's thread as the cause.
 */
public interface ProcessInstance {

    /** The process (group) name. */
    String processName();

    int id();

    InstanceState state();

    /**
     * The port this instance is given ({@code basePort + id}, or {@code + reloadPortSpan} when it
     * replaced another in a reload); empty without a basePort.
     */
    java.util.OptionalInt port();

    /** The live OS process id, empty when none runs. */
    OptionalLong pid();

    InstanceSnapshot snapshot();

    /**
     * The last exits of the instance's OS processes, oldest first, at most
     * {@link ProcessSpec#exitHistorySize()} of them: crashes and the exits the supervisor asked for.
     */
    List<ExitRecord> exitHistory();

    /** The last {@code n} lines the instance printed, with time, pid and stream, oldest first. */
    List<OutputLine> recentLines(int n);

    /** Adds a listener for every later line of this instance, across restarts. */
    void addLineListener(LineListener listener);

    void removeLineListener(LineListener listener);

    /**
     * Waits for a line of the current OS process (any, when none runs) matching {@code pattern}
     * ({@link java.util.regex.Matcher#find()}): one already printed, or the next within
     * {@code timeout}. Throws {@link TspmException} naming the pattern and the last lines on timeout.
     */
    OutputLine awaitLine(java.util.regex.Pattern pattern, java.time.Duration timeout);

    /** {@link #awaitLine(java.util.regex.Pattern, java.time.Duration)} with a regex string. */
    default OutputLine awaitLine(String regex, java.time.Duration timeout) {
        return awaitLine(java.util.regex.Pattern.compile(regex), timeout);
    }

    /** Counters of the instance's output: lines, bytes, lines dropped for listeners, unwritten lines. */
    OutputStats outputStats();

    /** The last {@code n} lines the instance printed (oldest first), across its restarts. */
    List<String> recentOutput(int n);

    /**
     * Completes when the instance is RUNNING and ready (at once if it is). Fails when it cannot
     * become ready without a new request: it is stopped or stopping, it failed, or it exited and
     * is not restarted. Waits through a restart (BACKOFF). Does not start it.
     */
    CompletableFuture<Void> awaitReadyAsync();

    /** {@link #awaitReadyAsync()} and wait up to the start timeout. */
    void awaitReady();

    /** {@link #awaitReadyAsync()} and wait up to {@code timeout}. */
    void awaitReady(java.time.Duration timeout);

    /** Starts the instance unless it runs; completes when it is RUNNING. */
    CompletableFuture<Void> startAsync();

    /** Stops the instance's process tree; completes with how it ended. */
    CompletableFuture<StopOutcome> stopAsync();

    /** Stops, then starts the instance. */
    CompletableFuture<Void> restartAsync();

    /** Starts the instance unless it runs, and waits until it is ready. */
    void start();

    /** {@link #start()}, waiting up to {@code timeout}. */
    void start(java.time.Duration timeout);

    /** Stops the instance's process tree and waits (bounded by the stop timeout, then a kill). */
    StopOutcome stop();

    /** Restarts the instance and waits until it is ready again. */
    void restart();

    /** {@link #restart()}, waiting up to {@code timeout}. */
    void restart(java.time.Duration timeout);

    /**
     * Sets the restart count, the crash-loop window and the backoff back to zero (PM2's
     * {@code reset}); the exit history stays. A pending restart keeps its delay.
     */
    default void reset() {
        reset(false);
    }

    /** {@link #reset()}, and with {@code clearExitHistory} the exit history and crash count too. */
    void reset(boolean clearExitHistory);

    /** Sends {@code signal} to the instance's process (not its descendants); false if none runs. */
    boolean signal(Signal signal);

    /**
     * Takes the instance out of load balancing for at least {@code duration} (on the supervisor's
     * scheduler): no pick returns it until the time is up and it is ready again. The process
     * keeps running. For outlier detection (the proxy calls it after consecutive connect
     * failures); a second eject while ejected extends the time.
     */
    void eject(java.time.Duration duration, String reason);

    /** Whether it is ejected now. */
    boolean isEjected();
}
