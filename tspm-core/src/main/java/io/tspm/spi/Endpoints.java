package io.tspm.spi;

import io.tspm.ResourceUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances of one group that may take traffic, at one moment: immutable, and versioned so a
 * newer view is told from an older one. A group publishes a new view on every change of who may
 * take traffic (an instance became ready or unready, was drained, ejected, swapped in by a reload,
 * scaled in or out). Not-ready, draining and ejected instances are never in a view.
 *
 * @param process   the group's name
 * @param version   increases with every view the group publishes
 * @param endpoints the instances that may take traffic, by id
 * @param total     how many instances the group has, ready or not (for panic thresholds)
 */
public record Endpoints(String process, long version, List<Endpoint> endpoints, int total) {

    /** Copies the list. */
    public Endpoints {
        Objects.requireNonNull(process, "process");
        endpoints = List.copyOf(endpoints);
        if (total < endpoints.size()) {
            throw new IllegalArgumentException("total must be >= the endpoints (" + endpoints.size() + "), but was "
                    + total);
        }
    }

    /** Whether no instance may take traffic. */
    public boolean isEmpty() {
        return endpoints.isEmpty();
    }

    /** How many instances may take traffic. */
    public int size() {
        return endpoints.size();
    }

    /** The endpoint at {@code index} (0..size-1). */
    public Endpoint get(int index) {
        return endpoints.get(index);
    }

    /**
     * A fixed endpoint, for tests and for strategies used outside a supervisor: its in-flight count
     * is the counter given (so a test can move it), its resources those given.
     */
    public static Endpoint of(String process, int instanceId, String host, int port, int weight,
            AtomicInteger inFlight, Optional<ResourceUsage> resources) {
        Objects.requireNonNull(inFlight, "inFlight");
        Objects.requireNonNull(resources, "resources");
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be >= 1, but was " + weight);
        }
        return new Endpoint() {
            @Override
            public String processName() {
                return process;
            }

            @Override
            public int instanceId() {
                return instanceId;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public int weight() {
                return weight;
            }

            @Override
            public Instant readySince() {
                return Instant.EPOCH;
            }

            @Override
            public Map<String, String> labels() {
                return Map.of();
            }

            @Override
            public int inFlight() {
                return inFlight.get();
            }

            @Override
            public Optional<ResourceUsage> resources() {
                return resources;
            }

            @Override
            public String toString() {
                return process + "#" + instanceId + "@" + host + ":" + port;
            }
        };
    }
}
