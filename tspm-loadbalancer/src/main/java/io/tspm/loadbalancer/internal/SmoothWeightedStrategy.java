package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's smooth weighted round-robin: weights 5, 1, 1 give {@code a a b a c a a}, the heavy
 * instance's turns spread through the cycle instead of bunched. The cycle is worked out once per
 * view (nginx's algorithm is a mutation per pick; replaying its whole period from an array makes
 * the pick lock-free and still exact).
 */
public record SmoothWeightedStrategy() implements LoadBalancer {

    /** The longest cycle kept; larger weights are scaled down to fit (their ratios kept to within 1). */
    static final int MAX_CYCLE = 1 << 16;

    @Override
    public Picker picker(Endpoints view) {
        return view.isEmpty() ? Pickers.NONE : new CyclePicker(cycle(view.endpoints()));
    }

    @Override
    public String name() {
        return "weighted";
    }

    @Override
    public String toString() {
        return name();
    }

    /** One period of nginx's smooth weighted round-robin over {@code endpoints}. */
    static Endpoint[] cycle(List<Endpoint> endpoints) {
        int n = endpoints.size();
        long[] weights = new long[n];
        long total = 0;
        long gcd = 0;
        for (int i = 0; i < n; i++) {
            Endpoint e = endpoints.get(i);
            int w = e.weight();
            if (w < 1) {
                throw new IllegalArgumentException("weight of " + e.processName() + " instance " + e.instanceId()
                        + " must be >= 1, but was " + w);
            }
            weights[i] = w;
            total += w;
            gcd = gcd(gcd, w);
        }
        for (int i = 0; i < n; i++) {
            weights[i] /= gcd;
        }
        total /= gcd;
        if (total > MAX_CYCLE) {
            total = 0;
            long max = 0;
            for (long w : weights) {
                max = Math.max(max, w);
            }
            for (int i = 0; i < n; i++) {
                weights[i] = Math.max(1, weights[i] * (MAX_CYCLE / n) / max);
                total += weights[i];
            }
        }
        long[] current = new long[n];
        List<Endpoint> out = new ArrayList<>((int) total);
        for (long step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out.add(endpoints.get(best));
        }
        return out.toArray(new Endpoint[0]);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static final class CyclePicker implements Picker {
        private final Endpoint[] cycle;
        private final PaddedCounter cursor = new PaddedCounter();

        CyclePicker(Endpoint[] cycle) {
            this.cycle = cycle;
        }

        @Override
        public Endpoint pick(PickContext context) {
            return Pickers.fromOrAfter(cycle, (int) (cursor.next() % cycle.length), context);
        }
    }
}
