package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testing.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The objects probes share per supervisor: created outside any lock, published once, closed with the supervisor. */
class SharedObjectsTest {

    private final ManualScheduler time = new ManualScheduler();
    private final Engine engine = new Engine("shared", Clock.systemUTC(), time, time, false, false, null, Duration.ZERO);
    private final List<Resource> closed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        engine.close();
    }

    /** A shared object that records its closing. */
    private final class Resource implements AutoCloseable {
        @Override
        public void close() {
            closed.add(this);
        }
    }

    @Test
    void concurrentFirstUsesBothCreateOneWinsAndTheLoserIsClosed() throws Exception {
        // Each supplier waits for the other: under a map lock the second could never start.
        CyclicBarrier bothCreating = new CyclicBarrier(2);
        java.util.function.Supplier<Resource> create = () -> {
            try {
                bothCreating.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the two suppliers did not run at the same time", e);
            }
            return new Resource();
        };
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        Resource winner;
        try {
            CompletableFuture<Resource> first = CompletableFuture.supplyAsync(() -> engine.shared(Resource.class, create), two);
            CompletableFuture<Resource> second = CompletableFuture.supplyAsync(() -> engine.shared(Resource.class, create), two);
            winner = first.get(20, TimeUnit.SECONDS);
            assertThat(second.get(20, TimeUnit.SECONDS)).isSameAs(winner);
        } finally {
            two.shutdownNow();
        }
        assertThat(engine.shared(Resource.class, Resource::new)).isSameAs(winner);
        assertThat(closed).hasSize(1).doesNotContain(winner);
        engine.close();
        assertThat(closed).hasSize(2).contains(winner);
    }

    @Test
    void aSupplierMayAskForOtherSharedObjects() {
        // Enough keys that, under computeIfAbsent, one would land in the bin the outer call holds.
        List<Class<?>> keys = List.of(StringBuilder.class, ArrayList.class, java.util.HashMap.class,
                java.util.TreeMap.class, java.util.HashSet.class, java.util.TreeSet.class, java.util.LinkedList.class,
                java.util.ArrayDeque.class, java.util.LinkedHashMap.class, java.util.LinkedHashSet.class,
                java.util.Vector.class, java.util.Stack.class, java.util.Hashtable.class, java.util.BitSet.class,
                java.util.PriorityQueue.class, java.util.IdentityHashMap.class, java.util.WeakHashMap.class,
                java.util.concurrent.ConcurrentLinkedQueue.class, java.util.concurrent.CopyOnWriteArraySet.class,
                java.util.concurrent.ConcurrentSkipListSet.class);
        Resource outer = engine.shared(Resource.class, () -> {
            keys.forEach(this::createShared);
            return new Resource();
        });
        assertThat(engine.shared(Resource.class, Resource::new)).isSameAs(outer);
        for (Class<?> k : keys) {
            assertThat(engine.shared(k, () -> null)).isInstanceOf(k);
        }
    }

    @Test
    void anObjectCreatedAfterTheSupervisorClosedIsClosedAtOnce() {
        Resource before = engine.shared(Resource.class, Resource::new);
        engine.close();
        assertThat(closed).containsExactly(before);
        Resource after = engine.shared(Resource.class, Resource::new);
        assertThat(after).isNotSameAs(before);
        assertThat(closed).containsExactly(before, after);
    }

    private <T> T createShared(Class<T> k) {
        return engine.shared(k, () -> newInstance(k));
    }

    private static <T> T newInstance(Class<T> k) {
        try {
            return k.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
