package io.tspm.loadbalancer.internal;

import io.tspm.ResourceUsage;

/** Which figure of a resource sample a least-resource strategy compares. */
public enum ResourceMetric {

    /** CPU over the last sample interval, in percent of one core. */
    CPU("least-cpu"),
    /** Resident memory of the process tree (unknown where the platform does not tell). */
    MEMORY("least-memory");

    private final String strategyName;

    ResourceMetric(String strategyName) {
        this.strategyName = strategyName;
    }

    /** The configuration name of the strategy that compares this figure. */
    public String strategyName() {
        return strategyName;
    }

    /** Whether {@code usage} has this figure. */
    boolean known(ResourceUsage usage) {
        return this == CPU || usage.memoryBytes().isPresent();
    }

    /** The figure; call only when {@link #known}. */
    double value(ResourceUsage usage) {
        return this == CPU ? usage.cpuPercent() : usage.memoryBytes().getAsLong();
    }
}
