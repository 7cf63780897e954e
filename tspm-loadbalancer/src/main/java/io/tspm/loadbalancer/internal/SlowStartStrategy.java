package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Slow start over another strategy (Envoy's {@code slow_start_config}): an instance that became
 * ready less than {@code window} ago takes a share of its turns that grows linearly with its age,
 * from {@link #MIN_SHARE} to all of them; a turn it declines goes back to the inner strategy for
 * another pick. Once no instance of a view is young the inner picker runs alone.
 *
 * @param inner  the strategy whose picks are ramped
 * @param window how long the ramp takes
 * @param clock  the supervisor's clock (ready-since times are by it)
 * @param random where the accept draws come from
 */
public record SlowStartStrategy(LoadBalancer inner, Duration window, Clock clock, RandomSource random)
        implements LoadBalancer {

    /** The share a just-ready instance keeps (Envoy's default min_weight_percent: 10%). */
    public static final double MIN_SHARE = 0.1;
    /** Picks asked of the inner strategy for one piece of work, at most. */
    static final int MAX_PICKS = 4;

    /** Checks each. */
    public SlowStartStrategy {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("slowStart window must be > 0, but was " + io.tspm.Human.duration(window));
        }
    }

    @Override
    public Picker picker(Endpoints view) {
        Picker picker = inner.picker(view);
        long windowMillis = window.toMillis();
        long youngAfter = clock.millis() - windowMillis;
        boolean anyYoung = view.endpoints().stream().anyMatch(e -> e.readySince().toEpochMilli() > youngAfter);
        return anyYoung ? new RampPicker(picker, windowMillis, clock, random.forPicker()) : picker;
    }

    @Override
    public String name() {
        return "slow-start";
    }

    @Override
    public String toString() {
        return "slow-start(" + inner + ", " + io.tspm.Human.duration(window) + ")";
    }

    private static final class RampPicker implements Picker {
        private final Picker inner;
        private final long windowMillis;
        private final Clock clock;
        private final RandomGenerator random;

        RampPicker(Picker inner, long windowMillis, Clock clock, RandomGenerator random) {
            this.inner = inner;
            this.windowMillis = windowMillis;
            this.clock = clock;
            this.random = random;
        }

        @Override
        public Endpoint pick(PickContext context) {
            Endpoint e = inner.pick(context);
            if (e == null) {
                return null;
            }
            long now = clock.millis();
            for (int picks = 1; picks < MAX_PICKS; picks++) {
                long age = now - e.readySince().toEpochMilli();
                if (age >= windowMillis) {
                    return e;
                }
                double share = Math.max(MIN_SHARE, age / (double) windowMillis);
                if (random.nextDouble() < share) {
                    return e;
                }
                Endpoint other = inner.pick(context);
                if (other == null) {
                    return e;
                }
                e = other;
            }
            return e;
        }
    }
}
