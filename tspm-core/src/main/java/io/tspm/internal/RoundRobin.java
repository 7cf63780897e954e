package io.tspm.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.Picker;
import java.util.concurrent.atomic.AtomicLong;

/** The group's strategy when its spec names none: round-robin (tspm-loadbalancer has the others). */
final class RoundRobin implements LoadBalancer {

    static final RoundRobin INSTANCE = new RoundRobin();

    @Override
    public Picker picker(Endpoints view) {
        if (view.isEmpty()) {
            return c -> null;
        }
        Endpoint[] endpoints = view.endpoints().toArray(new Endpoint[0]);
        AtomicLong next = new AtomicLong();
        return c -> endpoints[(int) Math.floorMod(next.getAndIncrement(), (long) endpoints.length)];
    }

    @Override
    public String name() {
        return "round-robin";
    }
}
