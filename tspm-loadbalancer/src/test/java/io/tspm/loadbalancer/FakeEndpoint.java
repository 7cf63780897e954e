package io.tspm.loadbalancer;

import io.tspm.ResourceUsage;
import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An endpoint for strategy tests: fixed identity, and load a test can move. */
final class FakeEndpoint implements Endpoint {

    final int id;
    final int weight;
    final Instant readySince;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile Optional<ResourceUsage> resources = Optional.empty();

    FakeEndpoint(int id, int weight, Instant readySince) {
        this.id = id;
        this.weight = weight;
        this.readySince = readySince;
    }

    FakeEndpoint(int id) {
        this(id, 1, Instant.EPOCH);
    }

    static Endpoints view(long version, Endpoint... endpoints) {
        return new Endpoints("web", version, List.of(endpoints), Math.max(endpoints.length, 1));
    }

    /** A view of fresh endpoints with these ids. */
    static Endpoints ids(int... ids) {
        List<Endpoint> out = new ArrayList<>();
        for (int id : ids) {
            out.add(new FakeEndpoint(id));
        }
        return view(1, out.toArray(new Endpoint[0]));
    }

    /** A view of endpoints 0..n-1. */
    static Endpoints first(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids(ids);
    }

    @Override
    public String processName() {
        return "web";
    }

    @Override
    public int instanceId() {
        return id;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return 40000 + id;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public Instant readySince() {
        return readySince;
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
        return "web#" + id;
    }
}
