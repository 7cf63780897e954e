package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import java.util.List;

/**
 * Passes when at least one of its probes passes; they are checked together, and a fatal result
 * of one is a plain failure here, as another may still pass. {@link Probes#any} builds one.
 */
public final class AnyProbe extends CompositeProbe {

    AnyProbe(List<Probe> probes) {
        super("any", false, probes);
    }
}
