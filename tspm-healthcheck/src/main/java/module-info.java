/**
 * Health probes for TSPM (http(s), tcp, command, log line, ready file, composites). The probe SPI
 * lives in tspm-core; this module's probes arrive with the health-check issue.
 */
module io.tspm.healthcheck {
    requires transitive io.tspm.core;
}
