package io.tspm.spi;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Checks one instance: is it started, ready, alive? Implementations must not block the calling
 * thread: return a future (a TCP connect, an HTTP request, a child process all have asynchronous
 * forms), or wrap blocking code with {@link #blocking}. A check that does not complete within
 * {@link ProbeContext#timeout()} is cut off and counts as a failure. Built-in probes are in
 * tspm-healthcheck ({@code io.tspm.healthcheck.Probes}).
 */
@FunctionalInterface
public interface Probe {

    CompletableFuture<ProbeResult> check(ProbeContext context);

    /**
     * Extra environment variables the child gets at each spawn, for probes that need the child's
     * cooperation (a ready file whose path the child is told). Called before every spawn.
     */
    default Map<String, String> environment(String processName, int instanceId, String supervisorName) {
        return Map.of();
    }

    /** What the probe checks, for messages ("tcp 127.0.0.1:{port}"). */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** A probe from blocking code, run on the supervisor's bounded pool for blocking probes. */
    static Probe blocking(String description, Function<ProbeContext, ProbeResult> check) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(description, "description");
        return new Probe() {
            @Override
            public CompletableFuture<ProbeResult> check(ProbeContext context) {
                return CompletableFuture.supplyAsync(() -> check.apply(context), context.blockingExecutor());
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
