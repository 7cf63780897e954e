/**
 * Load-balancing strategies and a TCP proxy over a cluster's instances. The strategies arrive with
 * the load-balancing issue; the SPI lives in tspm-core.
 */
module io.tspm.loadbalancer {
    requires transitive io.tspm.core;
}
