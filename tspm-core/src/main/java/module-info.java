/**
 * TSPM core: the supervisor, process specs, runtime handles, restart policy, events and the
 * time seams. Depends on slf4j-api only.
 */
module io.tspm.core {
    // The API exposes org.slf4j.event.Level (LogSettings, ProcessSpec): readers of io.tspm.core read slf4j too.
    requires transitive org.slf4j;
    // Optional: only io.tspm.junit and the leak check in io.tspm.testing use it, and only a test class path has it.
    requires static org.junit.jupiter.api;

    exports io.tspm;
    exports io.tspm.event;
    exports io.tspm.time;
    exports io.tspm.spi;
    exports io.tspm.testing;
    exports io.tspm.junit;

    // Configuration (tspm-config) looks these up by name; declared here, where the services are defined.
    uses io.tspm.spi.ProbeTypeProvider;
    uses io.tspm.spi.LoadBalancerTypeProvider;

    // The TCP proxy a spec asks for with proxyPort (tspm-loadbalancer provides it).
    uses io.tspm.spi.ProxyFactory;
}
