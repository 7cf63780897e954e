package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Power of two choices, least request: two distinct endpoints drawn at random, the one with fewer
 * in-flight leases wins (Envoy's {@code LEAST_REQUEST}, HAProxy's default). Near least-connections
 * in effect at a constant cost, and without its herd onto one idle instance.
 *
 * @param random where the draws come from
 */
public record PowerOfTwoStrategy(RandomSource random) implements LoadBalancer {

    /** Checks the source. */
    public PowerOfTwoStrategy {
        Objects.requireNonNull(random, "random");
    }

    @Override
    public Picker picker(Endpoints view) {
        return view.isEmpty() ? Pickers.NONE : new PowerOfTwoPicker(Pickers.toArray(view), random.forPicker());
    }

    @Override
    public String name() {
        return "power-of-two";
    }

    @Override
    public String toString() {
        return "power-of-two(" + random + ")";
    }

    private static final class PowerOfTwoPicker implements Picker {
        private final Endpoint[] endpoints;
        private final RandomGenerator random;

        PowerOfTwoPicker(Endpoint[] endpoints, RandomGenerator random) {
            this.endpoints = endpoints;
            this.random = random;
        }

        @Override
        public Endpoint pick(PickContext context) {
            int n = endpoints.length;
            if (n == 1) {
                return endpoints[0];
            }
            // Both draws from one 64-bit number, each half scaled into range by a multiply and a
            // shift (Lemire's): nextInt(n) divides for an n that is not a power of two, and two
            // divisions were most of a pick. The bias, under n / 2^32, is far below any load's noise.
            long r = random.nextLong();
            int a = (int) (((r >>> 32) * n) >>> 32);
            int b = (int) (((r & 0xFFFF_FFFFL) * (n - 1)) >>> 32);
            b += (a - b - 1) >>> 31; // b >= a moves up one: distinct from a, still uniform, and no branch to mispredict
            Endpoint first = endpoints[a];
            Endpoint second = endpoints[b];
            if (context.attempt() > 0) {
                if (context.avoid(first)) {
                    return Pickers.fromOrAfter(endpoints, b, context);
                }
                if (context.avoid(second)) {
                    return first;
                }
            }
            return second.inFlight() < first.inFlight() ? second : first;
        }
    }
}
