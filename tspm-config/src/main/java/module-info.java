/**
 * The text edge of TSPM: tspm.yaml, JSON, JSONC and PM2 ecosystem files bound onto the core
 * builders ({@link io.tspm.config.TspmConfig}), specs written back ({@link io.tspm.config.ConfigWriter}),
 * and the JSON Schema of the format ({@link io.tspm.config.ConfigSchema}).
 */
module io.tspm.config {
    requires transitive io.tspm.core;
    requires io.tspm.healthcheck;
    requires io.tspm.loadbalancer;
    requires org.snakeyaml.engine;
    requires com.fasterxml.jackson.core;
    requires java.net.http; // the webhook sender
    // Only for TspmMeterBinder: an application without Micrometer never loads it.
    requires static micrometer.core;

    exports io.tspm.config;

    // Probe types and strategies are found by name.
    uses io.tspm.spi.ProbeTypeProvider;
    uses io.tspm.spi.LoadBalancerTypeProvider;
}
