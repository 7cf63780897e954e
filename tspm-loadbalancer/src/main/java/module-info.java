/**
 * Load-balancing strategies ({@link io.tspm.loadbalancer.Strategies}) and a TCP proxy
 * ({@link io.tspm.loadbalancer.TcpProxy}) over a cluster's instances. The SPI they implement lives in
 * tspm-core ({@code io.tspm.spi}); the supervisor finds the proxy through {@code ProxyFactory} for a
 * spec that declares a {@code proxyPort}.
 */
module io.tspm.loadbalancer {
    requires transitive io.tspm.core;

    exports io.tspm.loadbalancer;

    provides io.tspm.spi.ProxyFactory with io.tspm.loadbalancer.internal.TcpProxyFactory;
    provides io.tspm.spi.LoadBalancerTypeProvider with io.tspm.loadbalancer.StrategyTypes;
}
