package io.tspm.spi;

import java.util.List;

/**
 * The service a module provides ({@code provides io.tspm.spi.ProbeTypeProvider with ...}, or a
 * {@code META-INF/services} file) to make its probes known to configuration by type name.
 */
public interface ProbeTypeProvider {

    /** The probe types this provider knows. */
    List<ProbeType> probeTypes();
}
