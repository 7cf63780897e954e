package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import java.util.List;

/**
 * Passes when every one of its probes passes; they are checked together, and a fatal result of
 * one makes the check fatal. {@link Probes#all} builds one.
 */
public final class AllProbe extends CompositeProbe {

    AllProbe(List<Probe> probes) {
        super("all", true, probes);
    }
}
