package io.tspm.internal;

import io.tspm.ProbeKind;
import io.tspm.spi.ProbeResult;

/**
 * What a health monitor's verdicts mean for the one process it watches, in words: a verdict for a
 * process that is no longer the instance's current one is ignored by the instance.
 */
final class ProbeVerdicts implements HealthMonitor.Verdicts {

    private final ManagedInstance instance;
    private final long generation;
    private final Process process;
    private final long startTicks;

    ProbeVerdicts(ManagedInstance instance, long generation, Process process, long startTicks) {
        this.instance = instance;
        this.generation = generation;
        this.process = process;
        this.startTicks = startTicks;
    }

    @Override
    public void startupPassed() {
        instance.startupPassed(generation, process);
    }

    @Override
    public void readinessChanged(boolean passing, String probe, ProbeResult last) {
        instance.readinessChanged(generation, process, passing, "readiness probe " + probe, last.message());
    }

    @Override
    public void failed(ProbeKind kind, String probe, int failures, ProbeResult last) {
        String reason = kind.label() + " probe " + probe + " failed"
                + (last.fatal() ? "" : " " + failures + (failures == 1 ? " time" : " times")) + ": " + last.message();
        instance.probeFailed(generation, process, startTicks, kind.label() + " probe " + probe, reason, last.message());
    }
}
