package io.tspm.spi;

/**
 * Picks one endpoint of one view. Built once per view by a {@link LoadBalancer}, immutable in what
 * it was built from, and called from many threads at once: a pick takes no lock and allocates
 * nothing on its hot path (gRPC's SubchannelPicker is the model).
 */
@FunctionalInterface
public interface Picker {

    /** The endpoint for this work, or null when none can take it (the view is empty). */
    Endpoint pick(PickContext context);
}
