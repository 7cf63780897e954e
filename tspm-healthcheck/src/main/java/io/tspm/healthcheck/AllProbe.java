package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import io.tspm.spi.SpawnContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Passes when every one of its probes passes; they are checked together, and a fatal result of
 * one makes the check fatal. Each probe adds its environment and is told of each spawn. Immutable; equal to an {@code all} of equal probes in the same order.
 */
public final class AllProbe implements BuiltInProbe {

    private final List<Probe> probes;

    AllProbe(List<Probe> probes) {
        this.probes = Composites.copy("all", probes);
    }

    /** The probes it combines, in the order given. */
    public List<Probe> probes() {
        return probes;
    }

    /** {@code all}. */
    @Override
    public String type() {
        return "all";
    }

    @Override
    public Map<String, String> environment(SpawnContext context) {
        return Composites.environment(probes, context);
    }

    @Override
    public void spawned(ProbeContext context) {
        Composites.spawned(probes, context);
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        return Composites.check(true, probes, context);
    }

    @Override
    public String describe() {
        return Composites.describe("all", probes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllProbe && probes.equals(((AllProbe) o).probes);
    }

    @Override
    public int hashCode() {
        return 31 * type().hashCode() + probes.hashCode();
    }

    /**
     * {@link #describe()} with each built-in probe's {@code toString}, so their settings show:
     * {@code all(tcp 127.0.0.1:8080, http GET http://x/ {expectBody='UP'})}.
     */
    @Override
    public String toString() {
        return Composites.toString("all", probes);
    }
}
