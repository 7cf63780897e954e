package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;

/** Each endpoint of the view in turn, exactly: one shared cursor per view. */
public record RoundRobinStrategy() implements LoadBalancer {

    @Override
    public Picker picker(Endpoints view) {
        return view.isEmpty() ? Pickers.NONE : new RoundRobinPicker(Pickers.toArray(view));
    }

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public String toString() {
        return name();
    }

    private static final class RoundRobinPicker implements Picker {
        private final Endpoint[] endpoints;
        private final PaddedCounter cursor = new PaddedCounter();

        RoundRobinPicker(Endpoint[] endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        public Endpoint pick(PickContext context) {
            int i = (int) (cursor.next() % endpoints.length);
            return Pickers.fromOrAfter(endpoints, i, context);
        }
    }
}
