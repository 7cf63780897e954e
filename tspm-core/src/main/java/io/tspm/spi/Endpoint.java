package io.tspm.spi;

import io.tspm.ResourceUsage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One instance that may take traffic, as a load balancer sees it. The identity (process, id,
 * address, port, weight, ready since, labels) is fixed for the view it belongs to; the load
 * figures ({@link #inFlight()}, {@link #resources()}) are read live, so a picker built once per
 * view still sees the current load. Implemented by the supervisor; {@link Endpoints#of} builds
 * fixed ones for tests and for strategies used outside a supervisor.
 */
public interface Endpoint {

    /** The process (group) name. */
    String processName();

    /** The instance id, 0..instances-1. */
    int instanceId();

    /** The address to connect to ({@code 127.0.0.1} for a local child). */
    String host();

    /** The port the instance listens on now (it changes lane in a reload). */
    int port();

    /** Its weight for weighted strategies, at least 1 (default 1). */
    int weight();

    /** When it last became ready, by the supervisor's clock. */
    Instant readySince();

    /** Its labels (the process's). */
    Map<String, String> labels();

    /** Work handed to it and not yet finished: leases open on it, connections the proxy holds to it. */
    int inFlight();

    /** The latest resource sample of its process tree, empty before the first. */
    Optional<ResourceUsage> resources();
}
