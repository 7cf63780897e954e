/**
 * Health probes for TSPM: http(s), tcp, command, log line, ready file, and all/any composites,
 * behind the {@link io.tspm.healthcheck.Probes} facade. The probe SPI lives in tspm-core.
 */
module io.tspm.healthcheck {
    requires transitive io.tspm.core;
    requires java.net.http;

    exports io.tspm.healthcheck;

    // Configuration finds the built-in probes by type name.
    provides io.tspm.spi.ProbeTypeProvider with io.tspm.healthcheck.ProbeTypes;
}
