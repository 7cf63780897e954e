package io.tspm.spi;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Checks one instance: is it started, ready, alive? Implementations must not block the calling
 * thread: return a future (a TCP connect, an HTTP request, a child process all have asynchronous
 * forms), or wrap blocking code with {@link #blocking}. A check that does not complete within
 * {@link ProbeContext#timeout()} is cut off and counts as a failure. Checks come at the probe's
 * period; a probe that learns of a change sooner can ask for one at once
 * ({@link ProbeContext#checkNow()}). Built-in probes are in
 * tspm-healthcheck ({@code io.tspm.healthcheck.Probes}).
 */
@FunctionalInterface
public interface Probe {

    /**
     * Starts one check of the instance in {@code context} and returns its result, without waiting
     * for it. A future that completes exceptionally counts as a failure; one still running at the
     * timeout is cancelled. An {@link IllegalArgumentException} or {@link IllegalStateException}
     * thrown here (a URL that cannot be built, {@code {port}} without a port) says the probe can
     * never pass: it counts as a {@linkplain ProbeResult#fatal fatal} result. One probe may check
     * several instances at the same time.
     */
    CompletableFuture<ProbeResult> check(ProbeContext context);

    /**
     * Extra environment variables the child gets at each spawn, for probes that need the child's
     * cooperation (a ready file whose path the child is told). Called before every spawn.
     */
    default Map<String, String> environment(SpawnContext context) {
        return Map.of();
    }

    /**
     * Called once for each new OS process, before any of its output is read: a probe that counts
     * output ({@link ProbeContext#countMatches}) starts counting here, so no line escapes it, and
     * one that waits for a line asks to be checked when it comes ({@link ProbeContext#checkNowOnMatch}).
     */
    default void spawned(ProbeContext context) {
    }

    /** What the probe checks, for messages ("tcp 127.0.0.1:{port}"). */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * A probe from blocking code, run on the supervisor's bounded pool for blocking probes; a check
     * cut off at its timeout is interrupted.
     */
    static Probe blocking(String description, Function<ProbeContext, ProbeResult> check) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(description, "description");
        return new Probe() {
            @Override
            public CompletableFuture<ProbeResult> check(ProbeContext context) {
                java.util.concurrent.FutureTask<ProbeResult> task = new java.util.concurrent.FutureTask<>(
                        () -> check.apply(context));
                CompletableFuture<ProbeResult> result = new CompletableFuture<>() {
                    @Override
                    public boolean cancel(boolean mayInterrupt) {
                        task.cancel(true);
                        return super.cancel(mayInterrupt);
                    }
                };
                context.blockingExecutor().execute(() -> {
                    task.run();
                    try {
                        result.complete(task.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        result.completeExceptionally(e.getCause());
                    } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                        result.cancel(false);
                    }
                });
                return result;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
