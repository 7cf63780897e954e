/**
 * The text edge of TSPM: YAML/JSON/JSONC configuration bound onto the core builders, state
 * save/restore and JSON event sinks. Its binder arrives with the configuration issue.
 */
module io.tspm.config {
    requires transitive io.tspm.core;
    requires io.tspm.healthcheck;
    requires io.tspm.loadbalancer;
}
