package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineRingTest {

    private static OutputLine line(String text) {
        return new OutputLine(Instant.EPOCH, "p", 0, 1, text.startsWith("err") ? OutputStreamKind.STDERR
                : OutputStreamKind.STDOUT, text);
    }

    private static List<String> texts(LineRing ring, int n) {
        return ring.last(n).stream().map(OutputLine::text).toList();
    }

    @Test
    void aLineHandedInLateGoesBackBehindTheLinesThatArrivedAfterIt() {
        LineRing ring = new LineRing(10);
        ring.add(line("out-1"), 1);
        ring.add(line("err-3"), 3);
        ring.add(line("err-4"), 4);
        ring.add(line("out-2a"), 2); // two lines of one read, both handed in after the other stream's
        ring.add(line("out-2b"), 2);
        ring.add(line("out-5"), 5);
        assertThat(texts(ring, 10)).containsExactly("out-1", "out-2a", "out-2b", "err-3", "err-4", "out-5");
        assertThat(texts(ring, 2)).containsExactly("err-4", "out-5");
    }

    @Test
    void aFullRingDropsItsOldestLineWhereverTheLateOneGoes() {
        LineRing ring = new LineRing(3);
        ring.add(line("out-1"), 1);
        ring.add(line("err-3"), 3);
        ring.add(line("err-4"), 4);
        ring.add(line("out-2"), 2);
        assertThat(texts(ring, 10)).containsExactly("out-2", "err-3", "err-4");
        ring.add(line("err-5"), 5);
        assertThat(texts(ring, 10)).containsExactly("err-3", "err-4", "err-5");
    }

    @Test
    void linesOfOneReadKeepTheirOrder() {
        LineRing ring = new LineRing(1);
        ring.add(line("a"), 7);
        ring.add(line("b"), 7);
        assertThat(texts(ring, 5)).containsExactly("b");
    }

    @Test
    void aRingThatGrowsOnDemandKeepsOrderAcrossItsGrowthAndItsWrap() {
        LineRing ring = new LineRing(50); // starts small, grows to 50, then wraps
        for (int k = 0; k < 120; k++) {
            ring.add(line("l-" + k), k);
        }
        ring.add(line("late"), 118); // a late line crossing the wrap point
        java.util.List<String> last = ring.last(50).stream().map(OutputLine::text).toList();
        assertThat(last).hasSize(50).startsWith("l-71").endsWith("l-118", "late", "l-119");
        assertThat(ring.last(5).stream().map(OutputLine::text)).containsExactly("l-116", "l-117", "l-118", "late",
                "l-119");
    }
}
