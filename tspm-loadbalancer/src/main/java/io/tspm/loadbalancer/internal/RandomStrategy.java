package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An endpoint drawn uniformly from the view.
 *
 * @param random where the draws come from
 */
public record RandomStrategy(RandomSource random) implements LoadBalancer {

    /** Checks the source. */
    public RandomStrategy {
        Objects.requireNonNull(random, "random");
    }

    @Override
    public Picker picker(Endpoints view) {
        return view.isEmpty() ? Pickers.NONE : new RandomPicker(Pickers.toArray(view), random.forPicker());
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public String toString() {
        return "random(" + random + ")";
    }

    private static final class RandomPicker implements Picker {
        private final Endpoint[] endpoints;
        private final RandomGenerator random;

        RandomPicker(Endpoint[] endpoints, RandomGenerator random) {
            this.endpoints = endpoints;
            this.random = random;
        }

        @Override
        public Endpoint pick(PickContext context) {
            return Pickers.fromOrAfter(endpoints, random.nextInt(endpoints.length), context);
        }
    }
}
