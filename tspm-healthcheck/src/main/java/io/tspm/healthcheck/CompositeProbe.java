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

/**
 * A probe made of others, checked together: {@link AllProbe} passes when every one passes,
 * {@link AnyProbe} when one does. Each probe adds its environment and is told of each spawn.
 * Immutable; equal to a composite of the same type with equal probes in the same order.
 */
public abstract sealed class CompositeProbe implements BuiltInProbe permits AllProbe, AnyProbe {

    private final String type;
    private final boolean all;
    private final List<Probe> probes;

    CompositeProbe(String type, boolean all, List<Probe> probes) {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException(type + " needs at least one probe, but got none");
        }
        this.type = type;
        this.all = all;
        this.probes = List.copyOf(probes);
    }

    /** The probes it combines, in the order given. */
    public List<Probe> probes() {
        return probes;
    }

    /** {@code all} or {@code any}. */
    @Override
    public String type() {
        return type;
    }

    @Override
    public Map<String, String> environment(SpawnContext context) {
        Map<String, String> env = new HashMap<>();
        probes.forEach(p -> env.putAll(p.environment(context)));
        return env;
    }

    @Override
    public void spawned(ProbeContext context) {
        probes.forEach(p -> p.spawned(context));
    }

    /**
     * Checks every probe at once; passes when all (or any) passed. The messages of all are joined;
     * a fatal result of one makes an all fatal, never an any (another may still pass).
     */
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

    /** {@code all(tcp 127.0.0.1:{port}, ready file $TSPM_READY_FILE)}. */
    @Override
    public String describe() {
        return type + probes.stream().map(Probe::describe).collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompositeProbe && ((CompositeProbe) o).type.equals(type)
                && ((CompositeProbe) o).probes.equals(probes);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + probes.hashCode();
    }

    /**
     * {@link #describe()} with each built-in probe's {@code toString}, so their settings show:
     * {@code all(tcp 127.0.0.1:8080, http GET http://x/ {expectBody='UP'})}.
     */
    @Override
    public String toString() {
        return type + probes.stream().map(p -> p instanceof BuiltInProbe ? p.toString() : p.describe())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
