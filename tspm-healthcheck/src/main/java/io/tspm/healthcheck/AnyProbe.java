package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import io.tspm.spi.SpawnContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Passes when at least one of its probes passes; they are checked together, and a fatal result
 * of one is a plain failure here, as another may still pass. Each probe adds its environment and
 * is told of each spawn. Immutable; equal to an {@code any} of equal probes in the same order.
 */
public final class AnyProbe implements BuiltInProbe {

    private final List<Probe> probes;

    AnyProbe(List<Probe> probes) {
        this.probes = Composites.copy("any", probes);
    }

    /** The probes it combines, in the order given. */
    public List<Probe> probes() {
        return probes;
    }

    /** {@code any}. */
    @Override
    public String type() {
        return "any";
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
        return Composites.check(false, probes, context);
    }

    @Override
    public String describe() {
        return Composites.describe("any", probes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnyProbe && probes.equals(((AnyProbe) o).probes);
    }

    @Override
    public int hashCode() {
        return 31 * type().hashCode() + probes.hashCode();
    }

    /**
     * {@link #describe()} with each built-in probe's {@code toString}, so their settings show:
     * {@code any(tcp 127.0.0.1:8080, http GET http://x/ {expectBody='UP'})}.
     */
    @Override
    public String toString() {
        return Composites.toString("any", probes);
    }
}
