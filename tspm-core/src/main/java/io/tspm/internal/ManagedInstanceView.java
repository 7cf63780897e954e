package io.tspm.internal;

import java.util.Optional;

/** What the supervisor may ask an instance beyond the public API (for its messages). */
public interface ManagedInstanceView {

    /** The last result of the probe the instance waits on, in words; empty without probes. */
    Optional<String> lastProbeResult();
}
