package io.tspm.loadbalancer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.loadbalancer.OutlierDetection;
import io.tspm.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outlier detection on manual time: when to eject, for how long, and how many at once. */
class OutlierDetectorTest {

    private final ManualScheduler time = new ManualScheduler();
    private final List<String> ejected = new ArrayList<>();
    private final Set<Integer> out = new HashSet<>();

    private OutlierDetector detector(OutlierDetection settings, int instances) {
        return new OutlierDetector(settings, new OutlierDetector.Instances() {
            @Override
            public int total() {
                return instances;
            }

            @Override
            public boolean isEjected(int id) {
                return out.contains(id);
            }

            @Override
            public void eject(int id, Duration d, String reason) {
                ejected.add(id + " for " + io.tspm.Human.duration(d));
                out.add(id);
            }
        }, time);
    }

    private static void fail(OutlierDetector d, int id, int times) {
        for (int k = 0; k < times; k++) {
            d.connectFailed(id);
        }
    }

    @Test
    void consecutiveFailuresEject_andASuccessInBetweenStartsTheCountAgain() {
        OutlierDetector d = detector(OutlierDetection.DEFAULTS, 10);
        fail(d, 3, 4);
        d.connected(3);
        fail(d, 3, 4);
        assertThat(ejected).isEmpty();
        assertThat(d.connectFailed(3)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ejected).containsExactly("3 for 30 s");
    }

    @Test
    void eachEjectionLastsLonger_upToTheCap_andTimeInBringsItBackDown() {
        OutlierDetector d = detector(OutlierDetection.DEFAULTS, 10);
        List<Duration> lengths = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            fail(d, 1, 4);
            Duration e = d.connectFailed(1);
            lengths.add(e);
            time.advance(e); // it returns when its time is up (and, in the real thing, its readiness passes)
            out.remove(1);
        }
        assertThat(lengths).extracting(Duration::toSeconds)
                .containsExactly(30L, 60L, 90L, 120L, 150L, 180L, 210L, 240L, 270L, 300L, 300L, 300L);
        // Ten minutes in takes 20 ejections off the count: the next is the base again.
        time.advance(Duration.ofMinutes(10));
        fail(d, 1, 4);
        assertThat(d.connectFailed(1)).isEqualTo(Duration.ofSeconds(30));
        // A minute in after its return takes its one ejection off: the base again.
        time.advance(Duration.ofSeconds(30 + 60));
        out.remove(1);
        fail(d, 1, 5);
        assertThat(ejected.get(ejected.size() - 1)).isEqualTo("1 for 30 s");
    }

    @Test
    void failuresWhileEjected_doNotEjectAgain() {
        OutlierDetector d = detector(OutlierDetection.DEFAULTS.withConsecutiveFailures(2), 10);
        fail(d, 0, 2);
        time.advance(Duration.ofSeconds(10));
        fail(d, 0, 6); // connects already on their way when it was ejected
        assertThat(ejected).containsExactly("0 for 30 s");
    }

    @Test
    void atMostTheSetShareIsOutAtOnce_butAlwaysOne() {
        OutlierDetector d = detector(OutlierDetection.DEFAULTS.withConsecutiveFailures(1).withMaxEjectedShare(0.25), 8);
        for (int id = 0; id < 8; id++) {
            d.connectFailed(id);
        }
        assertThat(ejected).containsExactly("0 for 30 s", "1 for 30 s");
        OutlierDetector small = detector(OutlierDetection.DEFAULTS.withConsecutiveFailures(1), 3);
        out.clear();
        ejected.clear();
        small.connectFailed(2);
        small.connectFailed(1);
        assertThat(ejected).containsExactly("2 for 30 s"); // 10% of 3 rounds to 0: one may still go
    }

    @Test
    void off_neverEjects() {
        OutlierDetector d = detector(OutlierDetection.OFF, 2);
        fail(d, 0, 100);
        assertThat(ejected).isEmpty();
    }
}
