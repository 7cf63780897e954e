package io.tspm.loadbalancer.internal;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Where a strategy's random numbers come from, as a value: the thread-local generator (the
 * default: no contention), a fixed seed (each picker gets its own {@link Random} from it, so a test
 * sees the same sequence for the same view), or a generator the caller gives (it must be safe to
 * use from many threads, as {@link Random} is).
 */
public final class RandomSource {

    private static final RandomSource THREAD_LOCAL = new RandomSource(OptionalLong.empty(), null);

    private final OptionalLong seed;
    private final RandomGenerator given;

    private RandomSource(OptionalLong seed, RandomGenerator given) {
        this.seed = seed;
        this.given = given;
    }

    /** {@link ThreadLocalRandom}. */
    public static RandomSource threadLocal() {
        return THREAD_LOCAL;
    }

    /** A fresh {@code new Random(seed)} for every picker. */
    public static RandomSource seeded(long seed) {
        return new RandomSource(OptionalLong.of(seed), null);
    }

    /** {@code generator} itself, shared by every picker and thread. */
    public static RandomSource of(RandomGenerator generator) {
        return new RandomSource(OptionalLong.empty(), Objects.requireNonNull(generator, "random"));
    }

    /** The generator one picker uses. */
    RandomGenerator forPicker() {
        if (seed.isPresent()) {
            return new Random(seed.getAsLong());
        }
        // ThreadLocalRandom.current() is one shared instance whose numbers come from the calling thread.
        return given != null ? given : ThreadLocalRandom.current();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomSource r && seed.equals(r.seed) && given == r.given;
    }

    @Override
    public int hashCode() {
        return seed.hashCode() * 31 + System.identityHashCode(given);
    }

    @Override
    public String toString() {
        return seed.isPresent() ? "seed " + seed.getAsLong() : given != null ? given.toString() : "thread-local";
    }
}
