package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** all(...) or any(...) of several probes, checked together. */
final class CompositeProbe implements Probe {

    private final boolean all;
    private final List<Probe> probes;

    CompositeProbe(boolean all, List<Probe> probes) {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException((all ? "all" : "any") + " needs at least one probe, but got none");
        }
        this.all = all;
        this.probes = List.copyOf(probes);
    }

    @Override
    public Map<String, String> environment(io.tspm.spi.SpawnContext context) {
        Map<String, String> env = new HashMap<>();
        probes.forEach(p -> env.putAll(p.environment(context)));
        return env;
    }

    @Override
    public void spawned(ProbeContext context) {
        probes.forEach(p -> p.spawned(context));
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
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

    @Override
    public String describe() {
        return (all ? "all" : "any") + probes.stream().map(Probe::describe).collect(Collectors.joining(", ", "(", ")"));
    }
}
