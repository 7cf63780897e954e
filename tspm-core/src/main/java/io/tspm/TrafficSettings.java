package io.tspm;

import io.tspm.spi.LoadBalancer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How traffic reaches a group's instances: the load-balancing strategy its picks use, a weight
 * per instance, the panic threshold, and the port of a TCP proxy in front of the group.
 * Immutable; each {@code withX} returns a copy.
 */
public final class TrafficSettings {

    /** Round-robin, every weight 1, no panic mode, no proxy. */
    public static final TrafficSettings DEFAULTS = new TrafficSettings(null, List.of(), 0, null);

    private final LoadBalancer loadBalancer;
    private final List<Integer> weights;
    private final double panicThreshold;
    private final Integer proxyPort;

    private TrafficSettings(LoadBalancer loadBalancer, List<Integer> weights, double panicThreshold,
            Integer proxyPort) {
        this.loadBalancer = loadBalancer;
        this.weights = weights;
        this.panicThreshold = panicThreshold;
        this.proxyPort = proxyPort;
    }

    /** The strategy the group's picks use; empty for the default, round-robin. */
    public Optional<LoadBalancer> loadBalancer() {
        return Optional.ofNullable(loadBalancer);
    }

    /** The weight of each instance by id; an instance past the end of the list weighs 1. */
    public List<Integer> weights() {
        return weights;
    }

    /** The weight of instance {@code id}: its entry in {@link #weights()}, else 1. */
    public int weight(int id) {
        return id < weights.size() ? weights.get(id) : 1;
    }

    /**
     * Below this share of instances taking traffic (0..1), every live instance is picked, ready
     * or not (Envoy's panic mode: better an overloaded or warming instance than no answer); 0 (the
     * default) turns it off.
     */
    public double panicThreshold() {
        return panicThreshold;
    }

    /** The port of the TCP proxy the supervisor opens in front of the group; empty for none. */
    public OptionalInt proxyPort() {
        return proxyPort == null ? OptionalInt.empty() : OptionalInt.of(proxyPort);
    }

    /** With {@code loadBalancer} as the strategy; null for the default. */
    public TrafficSettings withLoadBalancer(LoadBalancer loadBalancer) {
        return new TrafficSettings(loadBalancer, weights, panicThreshold, proxyPort);
    }

    /** With a weight per instance by id, each at least 1. */
    public TrafficSettings withWeights(Collection<Integer> weights) {
        Objects.requireNonNull(weights, "weights");
        List<Integer> copy = new ArrayList<>(weights.size());
        int i = 0;
        for (Integer w : weights) {
            Objects.requireNonNull(w, "weights[" + i + "]");
            if (w < 1) {
                throw new IllegalArgumentException("weights[" + i + "] (the weight of instance " + i
                        + ") must be at least 1, but was " + w);
            }
            copy.add(w);
            i++;
        }
        return new TrafficSettings(loadBalancer, List.copyOf(copy), panicThreshold, proxyPort);
    }

    /** With a panic threshold in 0..1 (0: off). */
    public TrafficSettings withPanicThreshold(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("panicThreshold must be in 0..1 (a share of the instances), but was "
                    + threshold);
        }
        return new TrafficSettings(loadBalancer, weights, threshold, proxyPort);
    }

    /** With a proxy on {@code port} (1..65535); null for none. */
    public TrafficSettings withProxyPort(Integer port) {
        if (port != null) {
            Checks.range("proxyPort", port, 1, 65535);
        }
        return new TrafficSettings(loadBalancer, weights, panicThreshold, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficSettings t && Objects.equals(loadBalancer, t.loadBalancer)
                && weights.equals(t.weights) && Double.compare(panicThreshold, t.panicThreshold) == 0
                && Objects.equals(proxyPort, t.proxyPort);
    }

    @Override
    public int hashCode() {
        return Objects.hash(loadBalancer, weights, panicThreshold, proxyPort);
    }

    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        set.add("loadBalancer=" + (loadBalancer == null ? "round-robin" : loadBalancer.name()));
        if (!weights.isEmpty()) {
            set.add("weights=" + weights);
        }
        if (panicThreshold > 0) {
            set.add("panicThreshold=" + panicThreshold);
        }
        if (proxyPort != null) {
            set.add("proxyPort=" + proxyPort);
        }
        return "TrafficSettings{" + String.join(", ", set) + "}";
    }
}
