package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import io.tspm.spi.SpawnContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** What {@link AllProbe} and {@link AnyProbe} share: their probes are checked together. */
final class Composites {

    private Composites() {
    }

    static List<Probe> copy(String type, List<Probe> probes) {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException(type + " needs at least one probe, but got none");
        }
        return List.copyOf(probes);
    }

    static Map<String, String> environment(List<Probe> probes, SpawnContext context) {
        Map<String, String> env = new HashMap<>();
        probes.forEach(p -> env.putAll(p.environment(context)));
        return env;
    }

    static void spawned(List<Probe> probes, ProbeContext context) {
        probes.forEach(p -> p.spawned(context));
    }

    /**
     * Checks every probe at once; passes when all (or any) passed. The messages of all are joined;
     * a fatal result of one makes an all fatal, never an any (another may still pass).
     */
    static CompletableFuture<ProbeResult> check(boolean all, List<Probe> probes, ProbeContext context) {
        List<CompletableFuture<ProbeResult>> checks = probes.stream().map(p -> {
            try {
                return p.check(context).exceptionally(e -> ProbeResult.failure(p.describe() + " threw " + e));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(ProbeResult.failure(p.describe() + " threw " + e));
            }
        }).collect(Collectors.toList());
        return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0])).thenApply(x -> {
            List<ProbeResult> results = checks.stream().map(CompletableFuture::join).collect(Collectors.toList());
            String text = results.stream().map(ProbeResult::message).collect(Collectors.joining("; "));
            boolean fatal = results.stream().anyMatch(ProbeResult::fatal);
            boolean passed = all ? results.stream().allMatch(ProbeResult::success)
                    : results.stream().anyMatch(ProbeResult::success);
            if (passed) {
                return ProbeResult.success(text);
            }
            return fatal && all ? ProbeResult.fatal(text) : ProbeResult.failure(text);
        });
    }

    /** {@code all(tcp 127.0.0.1:{port}, ready file $TSPM_READY_FILE)}. */
    static String describe(String type, List<Probe> probes) {
        return type + probes.stream().map(Probe::describe).collect(Collectors.joining(", ", "(", ")"));
    }

    /** As {@link #describe} with each built-in probe's {@code toString}, so its settings show. */
    static String toString(String type, List<Probe> probes) {
        return type + probes.stream().map(p -> p instanceof BuiltInProbe ? p.toString() : p.describe())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
