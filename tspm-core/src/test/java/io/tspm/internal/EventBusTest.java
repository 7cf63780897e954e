package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.Scaled;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded event queue on its own: what a blocked listener costs, and what is never dropped. */
class EventBusTest {

    private static final int CAPACITY = 100;

    private final EventBus bus = new EventBus("tspm-test-events", CAPACITY);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        bus.close();
    }

    /** Event {@code n} of publisher {@code from}: a Scaled event carries both numbers. */
    private static SupervisorEvent event(int from, int n) {
        return new Scaled(Instant.EPOCH, "p" + from, 0, n);
    }

    /** Records every event; blocks in the first one until released, and says when it got there. */
    private final class BlockedListener implements SupervisorListener {
        final List<SupervisorEvent> received = new CopyOnWriteArrayList<>();
        final CountDownLatch inFirst = new CountDownLatch(1);

        @Override
        public void onEvent(SupervisorEvent event) {
            received.add(event);
            if (received.size() == 1) {
                inFirst.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Publishes {@code perPublisher} events from each of {@code publishers} threads at once; returns when all did. */
    private void publishFrom(int publishers, int perPublisher) {
        ExecutorService threads = Executors.newFixedThreadPool(publishers);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int from = p;
                all.add(CompletableFuture.runAsync(() -> {
                    for (int n = 0; n < perPublisher; n++) {
                        bus.publish(event(from, n));
                    }
                }, threads));
            }
            // Publishing never waits for the listener, which is blocked all along.
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aBlockedListenerCostsAtMostTheBoundAndWhatIsPastItIsDroppedAndCountedExactly() throws Exception {
        BlockedListener blocked = new BlockedListener();
        bus.add(blocked);
        bus.publish(event(9, 0));
        assertThat(blocked.inFirst.await(20, TimeUnit.SECONDS)).isTrue();

        publishFrom(4, 1_000);
        assertThat(bus.dropped()).isEqualTo(4_000 - CAPACITY);

        release.countDown();
        await().until(() -> blocked.received.size() == 1 + CAPACITY);
        // Each publisher's events that got through arrive in the order it published them.
        for (int p = 0; p < 4; p++) {
            String from = "p" + p;
            List<Integer> ns = blocked.received.stream().filter(e -> e.process().equals(from))
                    .map(e -> ((Scaled) e).to()).toList();
            assertThat(ns).isSorted();
        }
        // Caught up: events get through again, and the count stays what it was.
        bus.publish(event(9, 1));
        bus.drain(20_000);
        assertThat(blocked.received).hasSize(2 + CAPACITY).last().isEqualTo(event(9, 1));
        assertThat(bus.dropped()).isEqualTo(4_000 - CAPACITY);
    }

    @Test
    void aListenerGetsTheEventsPublishedAfterItWasAddedAndNoneFromBefore() {
        for (int n = 0; n < 3; n++) {
            bus.publish(event(0, n)); // nobody listens: not even queued
        }
        List<SupervisorEvent> got = new CopyOnWriteArrayList<>();
        bus.add(got::add);
        bus.publish(event(1, 0));
        bus.drain(20_000);
        assertThat(got).containsExactly(event(1, 0));
        assertThat(bus.dropped()).isZero();
    }

    @Test
    void aThrowingListenerKeepsReceivingAndOthersGetEveryEvent() {
        List<SupervisorEvent> good = new CopyOnWriteArrayList<>();
        List<SupervisorEvent> bad = new CopyOnWriteArrayList<>();
        bus.add(e -> {
            bad.add(e);
            throw new IllegalStateException("listener bug");
        });
        bus.add(good::add);
        for (int n = 0; n < 3; n++) {
            bus.publish(event(0, n));
        }
        bus.drain(20_000);
        assertThat(bad).hasSize(3);
        assertThat(good).hasSize(3);
        assertThat(bus.dropped()).isZero();
    }

    @Test
    void aDrainBehindAFullQueueIsNotDroppedAndEndsOnceTheListenerCatchesUp() throws Exception {
        BlockedListener blocked = new BlockedListener();
        bus.add(blocked);
        bus.publish(event(9, 0));
        assertThat(blocked.inFirst.await(20, TimeUnit.SECONDS)).isTrue();
        publishFrom(1, 2 * CAPACITY);

        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> bus.drain(60_000));
        assertThat(drained).isNotDone();
        release.countDown();
        drained.get(20, TimeUnit.SECONDS);
        assertThat(blocked.received).hasSize(1 + CAPACITY);
    }
}
