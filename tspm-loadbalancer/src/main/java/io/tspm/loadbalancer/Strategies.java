package io.tspm.loadbalancer;

import io.tspm.Human;
import io.tspm.loadbalancer.internal.HashKey;
import io.tspm.loadbalancer.internal.HashStrategy;
import io.tspm.loadbalancer.internal.LeastConnectionsStrategy;
import io.tspm.loadbalancer.internal.LeastResourceStrategy;
import io.tspm.loadbalancer.internal.PowerOfTwoStrategy;
import io.tspm.loadbalancer.internal.RandomSource;
import io.tspm.loadbalancer.internal.RandomStrategy;
import io.tspm.loadbalancer.internal.ResourceMetric;
import io.tspm.loadbalancer.internal.RoundRobinStrategy;
import io.tspm.loadbalancer.internal.SlowStartStrategy;
import io.tspm.loadbalancer.internal.SmoothWeightedStrategy;
import io.tspm.spi.LoadBalancer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The built-in load-balancing strategies, for {@code ProcessSpec.Builder.loadBalancer(...)} or a
 * client that picks through a group itself. Each is a value: equal settings make equal strategies,
 * {@link LoadBalancer#name()} is the name configuration uses, and {@link #byName(String)} takes it
 * back. Every picker takes no lock and allocates nothing when it picks; it is rebuilt for each view
 * the group publishes, so it never returns an instance that view left out.
 */
public final class Strategies {

    /** The slow-start window {@code byName("slow-start")} uses. */
    public static final Duration DEFAULT_SLOW_START_WINDOW = Duration.ofSeconds(30);
    /** The supervisor's default sample interval, which {@link #leastCpu()} and {@link #leastMemory()} assume. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);

    private static final Map<String, Supplier<LoadBalancer>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("round-robin", Strategies::roundRobin);
        BY_NAME.put("random", Strategies::random);
        BY_NAME.put("least-connections", Strategies::leastConnections);
        BY_NAME.put("least-cpu", Strategies::leastCpu);
        BY_NAME.put("least-memory", Strategies::leastMemory);
        BY_NAME.put("ip-hash", Strategies::ipHash);
        BY_NAME.put("weighted", Strategies::weighted);
        BY_NAME.put("power-of-two", Strategies::powerOfTwo);
        BY_NAME.put("consistent-hash", Strategies::consistentHash);
        BY_NAME.put("slow-start", () -> slowStart(roundRobin(), DEFAULT_SLOW_START_WINDOW));
    }

    private Strategies() {
    }

    /** Each ready instance in turn, exactly ({@code round-robin}; the group's default). */
    public static LoadBalancer roundRobin() {
        return new RoundRobinStrategy();
    }

    /** A ready instance drawn uniformly, from {@link java.util.concurrent.ThreadLocalRandom} ({@code random}). */
    public static LoadBalancer random() {
        return new RandomStrategy(RandomSource.threadLocal());
    }

    /** {@link #random()} drawing from {@code new Random(seed)}, a fresh one for each view: repeatable. */
    public static LoadBalancer random(long seed) {
        return new RandomStrategy(RandomSource.seeded(seed));
    }

    /** {@link #random()} drawing from {@code random}, which must be safe to share between threads. */
    public static LoadBalancer random(RandomGenerator random) {
        return new RandomStrategy(RandomSource.of(random));
    }

    /** The instance with the fewest in-flight leases, ties broken at random ({@code least-connections}). */
    public static LoadBalancer leastConnections() {
        return new LeastConnectionsStrategy(RandomSource.threadLocal());
    }

    /** {@link #leastConnections()} breaking ties from {@code new Random(seed)}, fresh for each view. */
    public static LoadBalancer leastConnections(long seed) {
        return new LeastConnectionsStrategy(RandomSource.seeded(seed));
    }

    /**
     * The instance using the least CPU at its latest sample ({@code least-cpu}); a sample older than
     * two intervals is unknown, and unknown never wins over known. Assumes the supervisor's default
     * sample interval and the system clock.
     */
    public static LoadBalancer leastCpu() {
        return leastCpu(DEFAULT_SAMPLE_INTERVAL, Clock.systemUTC());
    }

    /** {@link #leastCpu()} for a supervisor that samples every {@code sampleInterval} on {@code clock}. */
    public static LoadBalancer leastCpu(Duration sampleInterval, Clock clock) {
        return new LeastResourceStrategy(ResourceMetric.CPU, sampleInterval, clock, RandomSource.threadLocal());
    }

    /** As {@link #leastCpu()}, by resident memory ({@code least-memory}). */
    public static LoadBalancer leastMemory() {
        return leastMemory(DEFAULT_SAMPLE_INTERVAL, Clock.systemUTC());
    }

    /** {@link #leastMemory()} for a supervisor that samples every {@code sampleInterval} on {@code clock}. */
    public static LoadBalancer leastMemory(Duration sampleInterval, Clock clock) {
        return new LeastResourceStrategy(ResourceMetric.MEMORY, sampleInterval, clock, RandomSource.threadLocal());
    }

    /**
     * The same instance for the same client address ({@code ip-hash}), by jump consistent hashing
     * over instance ids: adding an instance to n moves about 1/(n+1) of the clients, losing one moves
     * only its own. Work without an address goes round robin.
     */
    public static LoadBalancer ipHash() {
        return new HashStrategy(HashKey.CLIENT_ADDRESS);
    }

    /**
     * nginx's smooth weighted round-robin over the instances' weights ({@code weighted}): 5, 1, 1
     * give {@code a a b a c a a}. A weight below 1 fails the picker with the instance and the value.
     */
    public static LoadBalancer weighted() {
        return new SmoothWeightedStrategy();
    }

    /**
     * Power of two choices ({@code power-of-two}): of two instances drawn at random, the one with
     * fewer in-flight leases (Envoy's least request).
     */
    public static LoadBalancer powerOfTwo() {
        return new PowerOfTwoStrategy(RandomSource.threadLocal());
    }

    /** {@link #powerOfTwo()} drawing from {@code new Random(seed)}, fresh for each view. */
    public static LoadBalancer powerOfTwo(long seed) {
        return new PowerOfTwoStrategy(RandomSource.seeded(seed));
    }

    /**
     * Consistent hashing on the pick's {@code hashKey()}, else its client address
     * ({@code consistent-hash}): jump hashing over instance ids, so scaling from n to n+1 moves
     * about 1/(n+1) of the keys and scaling down moves only the removed instances' keys.
     */
    public static LoadBalancer consistentHash() {
        return new HashStrategy(HashKey.HASH_KEY);
    }

    /**
     * {@code strategy} with slow start: an instance ready for less than {@code window} (by the
     * system clock) gets a share of its turns that ramps from 10% to all of them.
     */
    public static LoadBalancer slowStart(LoadBalancer strategy, Duration window) {
        return slowStart(strategy, window, Clock.systemUTC());
    }

    /** {@link #slowStart(LoadBalancer, Duration)} on the supervisor's {@code clock}. */
    public static LoadBalancer slowStart(LoadBalancer strategy, Duration window, Clock clock) {
        return new SlowStartStrategy(strategy, window, clock, RandomSource.threadLocal());
    }

    /** {@link #slowStart(LoadBalancer, Duration, Clock)} with accept draws from {@code new Random(seed)}. */
    public static LoadBalancer slowStart(LoadBalancer strategy, Duration window, Clock clock, long seed) {
        return new SlowStartStrategy(strategy, window, clock, RandomSource.seeded(seed));
    }

    /** The names {@link #byName(String)} takes, in the order the documentation lists them. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The strategy configuration names ({@code round-robin}, {@code least-connections}, ...; case and
     * {@code _} for {@code -} do not matter), with its defaults.
     *
     * @throws IllegalArgumentException for an unknown name: the message lists the known ones and
     *                                  suggests the nearest
     */
    public static LoadBalancer byName(String name) {
        Objects.requireNonNull(name, "name");
        String normal = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        Supplier<LoadBalancer> strategy = BY_NAME.get(normal);
        if (strategy != null) {
            return strategy.get();
        }
        throw new IllegalArgumentException("unknown load-balancing strategy '" + name + "'"
                + Human.didYouMean(normal, BY_NAME.keySet()) + " (known: " + String.join(", ", BY_NAME.keySet()) + ")");
    }
}
