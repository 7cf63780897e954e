package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The endpoint with the fewest in-flight leases; among equals, each is as likely (reservoir
 * sampling over the ties), so idle instances share the work instead of the lowest id taking it all.
 *
 * @param random where tie-breaks come from
 */
public record LeastConnectionsStrategy(RandomSource random) implements LoadBalancer {

    /** Checks the source. */
    public LeastConnectionsStrategy {
        Objects.requireNonNull(random, "random");
    }

    @Override
    public Picker picker(Endpoints view) {
        return view.isEmpty() ? Pickers.NONE : new LeastConnectionsPicker(Pickers.toArray(view), random.forPicker());
    }

    @Override
    public String name() {
        return "least-connections";
    }

    @Override
    public String toString() {
        return "least-connections(" + random + ")";
    }

    private static final class LeastConnectionsPicker implements Picker {
        private final Endpoint[] endpoints;
        private final RandomGenerator random;

        LeastConnectionsPicker(Endpoint[] endpoints, RandomGenerator random) {
            this.endpoints = endpoints;
            this.random = random;
        }

        @Override
        public Endpoint pick(PickContext context) {
            Endpoint best = null;
            int bestLoad = Integer.MAX_VALUE;
            int ties = 0;
            for (Endpoint e : endpoints) {
                if (Pickers.avoided(e, context)) {
                    continue;
                }
                int load = e.inFlight();
                if (load < bestLoad) {
                    best = e;
                    bestLoad = load;
                    ties = 1;
                } else if (load == bestLoad && random.nextInt(++ties) == 0) {
                    best = e;
                }
            }
            return best != null ? best : endpoints[random.nextInt(endpoints.length)];
        }
    }
}
