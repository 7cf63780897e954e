package io.tspm.loadbalancer;

import static io.tspm.loadbalancer.FakeEndpoint.first;
import static io.tspm.loadbalancer.FakeEndpoint.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.ResourceUsage;
import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What each strategy picks: exact sequences, statistical bounds with fixed seeds, retries. */
class StrategyBehaviourTest {

    private static List<Integer> picks(Picker picker, int times, PickContext context) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < times; k++) {
            out.add(picker.pick(context).instanceId());
        }
        return out;
    }

    private static int[] counts(Picker picker, int n, int times) {
        int[] counts = new int[n];
        for (int k = 0; k < times; k++) {
            counts[picker.pick(PickContext.NONE).instanceId()]++;
        }
        return counts;
    }

    @Test
    void roundRobin_isExact() {
        Picker p = Strategies.roundRobin().picker(first(3));
        assertThat(picks(p, 7, PickContext.NONE)).containsExactly(0, 1, 2, 0, 1, 2, 0);
    }

    @Test
    void roundRobin_fromManyThreadsAtOnce_keepsTheSharesEven() throws Exception {
        Picker p = Strategies.roundRobin().picker(first(5));
        int threads = 8;
        int each = 20_000;
        java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(5);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> pickers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < each; k++) {
                    counts.incrementAndGet(p.pick(PickContext.NONE).instanceId());
                }
            });
            thread.start();
            pickers.add(thread);
        }
        go.countDown();
        for (Thread t : pickers) {
            t.join();
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 5; i++) {
            min = Math.min(min, counts.get(i));
            max = Math.max(max, counts.get(i));
        }
        // Each cursor rotates exactly, so each leaves the shares at most one pick apart.
        assertThat(max - min).as("spread of %s", counts).isLessThanOrEqualTo(threads);
        assertThat(min + max).isPositive();
    }

    @Test
    void everyStrategy_onAnEmptyView_picksNone() {
        Endpoints empty = new Endpoints("web", 1, List.of(), 2);
        for (String name : Strategies.names()) {
            assertThat(Strategies.byName(name).picker(empty).pick(PickContext.NONE)).as(name).isNull();
        }
    }

    @Test
    void everyStrategy_onARetry_avoidsTheFailedEndpointWhenAnotherIsThere() {
        for (String name : Strategies.names()) {
            Picker p = Strategies.byName(name).picker(first(3));
            for (int k = 0; k < 50; k++) {
                assertThat(p.pick(Contexts.retryAvoiding(Set.of(0, 2))).instanceId()).as(name).isEqualTo(1);
            }
        }
    }

    @Test
    void random_isUniformAndRepeatableFromASeed() {
        Endpoints view = first(4);
        int[] counts = counts(Strategies.random(42).picker(view), 4, 40_000);
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500); // 10,000 expected; sd 87
        }
        assertThat(picks(Strategies.random(7).picker(view), 20, PickContext.NONE))
                .isEqualTo(picks(Strategies.random(7).picker(view), 20, PickContext.NONE));
        assertThat(picks(Strategies.random(new java.util.Random(3)).picker(view), 20, PickContext.NONE))
                .isEqualTo(picks(Strategies.random(new java.util.Random(3)).picker(view), 20, PickContext.NONE));
    }

    @Test
    void leastConnections_picksTheLeastLoaded_andBreaksTiesFairly() {
        FakeEndpoint a = new FakeEndpoint(0);
        FakeEndpoint b = new FakeEndpoint(1);
        FakeEndpoint c = new FakeEndpoint(2);
        FakeEndpoint d = new FakeEndpoint(3);
        Picker p = Strategies.leastConnections(1).picker(view(1, a, b, c, d));
        a.inFlight.set(2);
        b.inFlight.set(1);
        c.inFlight.set(3);
        d.inFlight.set(1);
        int[] counts = counts(p, 4, 20_000);
        assertThat(counts[0]).isZero();
        assertThat(counts[2]).isZero();
        assertThat(counts[1]).isBetween(9_500, 10_500); // b and d tie: half each, not the lower id always
        b.inFlight.set(0);
        assertThat(picks(p, 5, PickContext.NONE)).containsOnly(1);
    }

    @Test
    void leastConnections_spreadsOverEqualsWhenLeasesAreTaken() {
        List<FakeEndpoint> es = List.of(new FakeEndpoint(0), new FakeEndpoint(1), new FakeEndpoint(2));
        Picker p = Strategies.leastConnections(5).picker(view(1, es.toArray(new Endpoint[0])));
        for (int k = 0; k < 9; k++) {
            ((FakeEndpoint) p.pick(PickContext.NONE)).inFlight.incrementAndGet(); // held, as a lease
        }
        assertThat(es).allSatisfy(e -> assertThat(e.inFlight()).isEqualTo(3));
    }

    private static ResourceUsage usage(Instant at, double cpu, Long memory) {
        return new ResourceUsage(at, cpu, memory == null ? OptionalLong.empty() : OptionalLong.of(memory), 1, 1,
                OptionalInt.empty());
    }

    @Test
    void leastCpu_picksTheLowestFreshSample_andAStaleOneCountsAsUnknown() {
        Instant now = Instant.parse("2026-01-01T00:00:10Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        FakeEndpoint busy = new FakeEndpoint(0);
        FakeEndpoint idle = new FakeEndpoint(1);
        FakeEndpoint stale = new FakeEndpoint(2);
        FakeEndpoint unknown = new FakeEndpoint(3);
        busy.resources = Optional.of(usage(now.minusMillis(500), 80, 100L));
        idle.resources = Optional.of(usage(now.minusMillis(1500), 5, 100L));
        stale.resources = Optional.of(usage(now.minusMillis(2001), 0, 1L)); // older than two 1 s intervals
        Picker p = Strategies.leastCpu(Duration.ofSeconds(1), clock).picker(view(1, busy, idle, stale, unknown));
        assertThat(picks(p, 20, PickContext.NONE)).containsOnly(1);

        idle.resources = Optional.of(usage(now.minusSeconds(5), 5, 100L));
        assertThat(picks(p, 20, PickContext.NONE)).as("unknown never beats known").containsOnly(0);

        busy.resources = Optional.empty();
        // None known: the fewest in-flight decide, ties at random.
        stale.inFlight.set(1);
        idle.inFlight.set(1);
        assertThat(picks(p, 200, PickContext.NONE)).containsOnly(0, 3).contains(0, 3);
    }

    @Test
    void leastMemory_treatsAMissingMemoryFigureAsUnknown() {
        Instant now = Instant.parse("2026-01-01T00:00:10Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        FakeEndpoint big = new FakeEndpoint(0);
        FakeEndpoint small = new FakeEndpoint(1);
        FakeEndpoint noFigure = new FakeEndpoint(2);
        big.resources = Optional.of(usage(now, 0, 500_000_000L));
        small.resources = Optional.of(usage(now, 90, 20_000_000L));
        noFigure.resources = Optional.of(usage(now, 0, null));
        Picker p = Strategies.leastMemory(Duration.ofSeconds(1), clock).picker(view(1, big, small, noFigure));
        assertThat(picks(p, 20, PickContext.NONE)).containsOnly(1);
    }

    @Test
    void weighted_isNginxSmoothWeightedRoundRobin() {
        Endpoints view = view(1, new FakeEndpoint(0, 5, Instant.EPOCH), new FakeEndpoint(1, 1, Instant.EPOCH),
                new FakeEndpoint(2, 1, Instant.EPOCH));
        Picker p = Strategies.weighted().picker(view);
        String seq = picks(p, 14, PickContext.NONE).stream().map(i -> String.valueOf((char) ('a' + i)))
                .collect(Collectors.joining(" "));
        assertThat(seq).isEqualTo("a a b a c a a a a b a c a a");
    }

    @Test
    void weighted_withHugeWeights_keepsTheirRatio() {
        Endpoints view = view(1, new FakeEndpoint(0, 3_000_000, Instant.EPOCH),
                new FakeEndpoint(1, 1_000_000, Instant.EPOCH));
        int[] counts = counts(Strategies.weighted().picker(view), 2, 40_000);
        assertThat(counts[0]).isBetween(29_900, 30_100);
    }

    @Test
    void weighted_belowOne_isRejectedWithTheInstanceAndTheValue() {
        Endpoints view = view(1, new FakeEndpoint(0), new FakeEndpoint(1, 0, Instant.EPOCH));
        assertThatThrownBy(() -> Strategies.weighted().picker(view))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight of web instance 1 must be >= 1, but was 0");
    }

    @Test
    void powerOfTwo_sendsLessToTheLoadedAndNeverToTheWorstOfTwo() {
        FakeEndpoint a = new FakeEndpoint(0);
        FakeEndpoint b = new FakeEndpoint(1);
        FakeEndpoint c = new FakeEndpoint(2);
        Picker p = Strategies.powerOfTwo(9).picker(view(1, a, b, c));
        c.inFlight.set(10);
        int[] counts = counts(p, 3, 30_000);
        // Drawn pairs: {a,b} {a,c} {b,c} equally; c loses every pair it is in.
        assertThat(counts[2]).isZero();
        assertThat(counts[0]).isBetween(14_000, 16_000);
        b.inFlight.set(10);
        assertThat(picks(p, 30, PickContext.NONE)).containsOnly(0, 1, 2);
        int[] second = counts(p, 3, 30_000);
        assertThat(second[0]).isBetween(19_000, 21_000); // a wins 2 of 3 pairs; the b-c pair ties
        assertThat(Strategies.powerOfTwo().picker(first(1)).pick(PickContext.NONE).instanceId()).isZero();
    }

    @Test
    void slowStart_rampsANewInstancesShareOverTheWindow() {
        Instant now = Instant.parse("2026-01-01T00:01:00Z");
        Duration window = Duration.ofSeconds(60);
        FakeEndpoint old1 = new FakeEndpoint(0, 1, Instant.EPOCH);
        FakeEndpoint old2 = new FakeEndpoint(1, 1, Instant.EPOCH);
        FakeEndpoint young = new FakeEndpoint(2, 1, now.minusSeconds(30)); // half way
        Endpoints view = view(1, old1, old2, young);
        Picker half = Strategies.slowStart(Strategies.random(3), window, Clock.fixed(now, ZoneOffset.UTC), 11)
                .picker(view);
        int[] counts = counts(half, 3, 30_000);
        // A half weight against two full ones: about 0.5 / 2.5 = 20% (declined turns re-pick at random).
        assertThat(counts[2]).isBetween(5_000, 7_000);

        Picker fresh = Strategies.slowStart(Strategies.random(3), window,
                Clock.fixed(now.minusSeconds(30), ZoneOffset.UTC), 11).picker(view);
        int[] early = counts(fresh, 3, 30_000);
        assertThat(early[2]).isBetween(700, 2_000); // the 10% floor: about 0.1 / 2.1 of the work

        Picker later = Strategies.slowStart(Strategies.random(3), window,
                Clock.fixed(now.plusSeconds(30), ZoneOffset.UTC), 11).picker(view);
        assertThat(counts(later, 3, 30_000)[2]).isBetween(9_400, 10_600); // the ramp is over
    }

    @Test
    void slowStart_withNoYoungInstance_isTheInnerPickerItself() {
        Picker inner = Strategies.roundRobin().picker(first(3));
        Picker p = Strategies.slowStart(Strategies.roundRobin(), Duration.ofSeconds(5)).picker(first(3));
        assertThat(p.getClass()).isEqualTo(inner.getClass());
        assertThat(picks(p, 4, PickContext.NONE)).containsExactly(0, 1, 2, 0);
    }
}
