package io.tspm.loadbalancer.internal;

import io.tspm.ResourceUsage;
import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The endpoint whose latest resource sample shows the least CPU or memory. A sample older than two
 * sample intervals counts as unknown (its process may have changed since), and unknown never wins
 * over known: an instance without a fresh figure gets work only when none has one, and then the
 * fewest in-flight leases decide. Ties go to the fewer in-flight leases, then to chance.
 *
 * @param metric         the figure compared
 * @param sampleInterval how often the supervisor samples (its {@code sampleInterval}, 1 s by default)
 * @param clock          the supervisor's clock, which stamps the samples
 * @param random         where tie-breaks come from
 */
public record LeastResourceStrategy(ResourceMetric metric, Duration sampleInterval, Clock clock, RandomSource random)
        implements LoadBalancer {

    /** Checks each. */
    public LeastResourceStrategy {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("sampleInterval must be > 0, but was " + io.tspm.Human.duration(sampleInterval));
        }
    }

    @Override
    public Picker picker(Endpoints view) {
        if (view.isEmpty()) {
            return Pickers.NONE;
        }
        long freshFor = sampleInterval.multipliedBy(2).toMillis();
        return new LeastResourcePicker(Pickers.toArray(view), metric, freshFor, clock, random.forPicker());
    }

    @Override
    public String name() {
        return metric.strategyName();
    }

    @Override
    public String toString() {
        return name() + "(samples every " + io.tspm.Human.duration(sampleInterval) + ", " + random + ")";
    }

    private static final class LeastResourcePicker implements Picker {
        private final Endpoint[] endpoints;
        private final ResourceMetric metric;
        private final long freshForMillis;
        private final Clock clock;
        private final RandomGenerator random;

        LeastResourcePicker(Endpoint[] endpoints, ResourceMetric metric, long freshForMillis, Clock clock,
                RandomGenerator random) {
            this.endpoints = endpoints;
            this.metric = metric;
            this.freshForMillis = freshForMillis;
            this.clock = clock;
            this.random = random;
        }

        @Override
        public Endpoint pick(PickContext context) {
            long staleBefore = clock.millis() - freshForMillis;
            Endpoint best = null;
            boolean bestKnown = false;
            double bestValue = Double.MAX_VALUE;
            int bestLoad = Integer.MAX_VALUE;
            int ties = 0;
            for (Endpoint e : endpoints) {
                if (Pickers.avoided(e, context)) {
                    continue;
                }
                Optional<ResourceUsage> sample = e.resources();
                boolean known = sample.isPresent() && metric.known(sample.get())
                        && sample.get().sampledAt().toEpochMilli() >= staleBefore;
                if (bestKnown && !known) {
                    continue;
                }
                double value = known ? metric.value(sample.get()) : 0;
                int load = e.inFlight();
                int order;
                if (known != bestKnown) {
                    order = -1; // the first known beats every unknown
                } else if (value != bestValue) {
                    order = value < bestValue ? -1 : 1;
                } else {
                    order = Integer.compare(load, bestLoad);
                }
                if (order < 0) {
                    best = e;
                    bestKnown = known;
                    bestValue = value;
                    bestLoad = load;
                    ties = 1;
                } else if (order == 0 && random.nextInt(++ties) == 0) {
                    best = e;
                }
            }
            return best != null ? best : endpoints[random.nextInt(endpoints.length)];
        }
    }
}
