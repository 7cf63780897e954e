/**
 * Load-balancing strategies ({@link io.tspm.loadbalancer.Strategies}) and a TCP proxy over a
 * cluster's instances. The SPI they implement lives in tspm-core ({@code io.tspm.spi}).
 */
module io.tspm.loadbalancer {
    requires transitive io.tspm.core;

    exports io.tspm.loadbalancer;
}
