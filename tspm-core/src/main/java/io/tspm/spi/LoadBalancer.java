package io.tspm.spi;

/**
 * A load-balancing strategy: turns each view of a group's endpoints into a {@link Picker}. Called
 * once per published view, never concurrently for one group; the picker it returns is then used
 * from many threads. Built-ins are in tspm-loadbalancer ({@code io.tspm.loadbalancer.Strategies}).
 */
@FunctionalInterface
public interface LoadBalancer {

    /** A picker over {@code view}; for an empty view, one that returns null. */
    Picker picker(Endpoints view);

    /** The strategy's name as configuration writes it ("round-robin"). */
    default String name() {
        return getClass().getSimpleName();
    }
}
