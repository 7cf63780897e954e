package io.tspm.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Eight threads pick while a publisher changes membership, as a group publishes views: once a view
 * without an instance is published, no pick through it (or any later one) returns that instance.
 */
class ConcurrentPickTest {

    private static final int IDS = 8;

    /** What a group publishes: a view and the picker built for it, swapped together. */
    private record Published(Endpoints view, Picker picker) {
    }

    @Test
    void noStrategyPicksAnInstanceAPublishedViewRemoved() throws Exception {
        for (String name : Strategies.names()) {
            run(Strategies.byName(name));
        }
        run(Strategies.random(1));
        run(Strategies.powerOfTwo(2));
    }

    private static void run(LoadBalancer strategy) throws Exception {
        FakeEndpoint[] all = new FakeEndpoint[IDS];
        for (int i = 0; i < IDS; i++) {
            all[i] = new FakeEndpoint(i);
        }
        AtomicReference<Published> published = new AtomicReference<>(publish(strategy, 1, all, 0xFF));
        // The version from which each instance is out, while it is out.
        Map<Integer, Long> outSince = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong picked = new AtomicLong();
        List<String> violations = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(8);
        List<Thread> pickers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread picker = new Thread(() -> {
                PickContext context = Contexts.client("10.0.0." + thread);
                started.countDown();
                while (running.get()) {
                    Published now = published.get();
                    Endpoint e = now.picker().pick(context);
                    if (e == null) {
                        continue;
                    }
                    picked.incrementAndGet();
                    if (!now.view().endpoints().contains(e)) {
                        violations.add(strategy + ": " + e + " is not in view " + now.view().version());
                    }
                    Long out = outSince.get(e.instanceId());
                    if (out != null && out <= now.view().version()) {
                        violations.add(strategy + ": " + e + " picked from view " + now.view().version()
                                + ", out since " + out);
                    }
                }
            }, "picker-" + t);
            picker.start();
            pickers.add(picker);
        }
        started.await();
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        int members = 0xFF;
        for (long version = 2; version < 400; version++) {
            int next = random.nextInt(1, 1 << IDS); // never empty
            // Leavers are out, joiners back, before the view that says so can be read.
            for (int i = 0; i < IDS; i++) {
                if ((members & 1 << i) != 0 && (next & 1 << i) == 0) {
                    outSince.put(i, version);
                } else if ((next & 1 << i) != 0) {
                    outSince.remove(i);
                }
            }
            published.set(publish(strategy, version, all, next));
            members = next;
            Thread.onSpinWait();
        }
        running.set(false);
        for (Thread t : pickers) {
            t.join();
        }
        assertThat(violations).as("%s", strategy).isEmpty();
        assertThat(picked.get()).as("%s picked", strategy).isPositive();
    }

    private static Published publish(LoadBalancer strategy, long version, FakeEndpoint[] all, int members) {
        List<Endpoint> in = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            if ((members & 1 << i) != 0) {
                in.add(all[i]);
            }
        }
        Endpoints view = new Endpoints("web", version, in, all.length);
        return new Published(view, strategy.picker(view));
    }
}
