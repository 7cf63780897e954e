package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineRingTest {

    private static void add(LineRing ring, String text, long arrival) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ring.add(b, 0, b.length, Instant.EPOCH, 1, text.startsWith("err") ? OutputStreamKind.STDERR
                : OutputStreamKind.STDOUT, null, arrival);
    }

    private static List<String> texts(LineRing ring, int n) {
        return ring.last(n).stream().map(OutputLine::text).toList();
    }

    @Test
    void aLineHandedInLateGoesBackBehindTheLinesThatArrivedAfterIt() {
        LineRing ring = new LineRing(10, "p", 0);
        add(ring, "out-1", 1);
        add(ring, "err-3", 3);
        add(ring, "err-4", 4);
        add(ring, "out-2a", 2); // two lines of one read, both handed in after the other stream's
        add(ring, "out-2b", 2);
        add(ring, "out-5", 5);
        assertThat(texts(ring, 10)).containsExactly("out-1", "out-2a", "out-2b", "err-3", "err-4", "out-5");
        assertThat(texts(ring, 2)).containsExactly("err-4", "out-5");
    }

    @Test
    void aFullRingDropsItsOldestLineWhereverTheLateOneGoes() {
        LineRing ring = new LineRing(3, "p", 0);
        add(ring, "out-1", 1);
        add(ring, "err-3", 3);
        add(ring, "err-4", 4);
        add(ring, "out-2", 2);
        assertThat(texts(ring, 10)).containsExactly("out-2", "err-3", "err-4");
        add(ring, "err-5", 5);
        assertThat(texts(ring, 10)).containsExactly("err-3", "err-4", "err-5");
    }

    @Test
    void theLastTextsOfOneProcessAreItsNewestOldestFirstAcrossTheWrap() {
        LineRing ring = new LineRing(20, "p", 0);
        assertThat(ring.lastTextsOf(7, 3)).isEmpty(); // nothing printed yet
        for (int k = 0; k < 45; k++) { // grows, then wraps: lines 25..44 are kept
            byte[] b = ("line-" + k).getBytes(StandardCharsets.UTF_8);
            ring.add(b, 0, b.length, Instant.EPOCH, k % 3 == 0 ? 7 : 8, OutputStreamKind.STDOUT, null, k);
        }
        assertThat(ring.lastTextsOf(7, 3)).containsExactly("line-36", "line-39", "line-42");
        assertThat(ring.lastTextsOf(8, 2)).containsExactly("line-43", "line-44");
        // Asked for more than is kept: what the ring still holds of it, which is what the full walk finds.
        assertThat(ring.lastTextsOf(7, 100)).containsExactlyElementsOf(ring.last(100).stream()
                .filter(l -> l.pid() == 7).map(OutputLine::text).toList());
        assertThat(ring.lastTextsOf(7, 100)).first().isEqualTo("line-27");
        assertThat(ring.lastTextsOf(9, 5)).isEmpty();
    }

    @Test
    void linesOfOneReadKeepTheirOrder() {
        LineRing ring = new LineRing(1, "p", 0);
        add(ring, "a", 7);
        add(ring, "b", 7);
        assertThat(texts(ring, 5)).containsExactly("b");
    }

    @Test
    void aRingThatGrowsOnDemandKeepsOrderAcrossItsGrowthAndItsWrap() {
        LineRing ring = new LineRing(50, "p", 0); // starts small, grows to 50, then wraps
        for (int k = 0; k < 120; k++) {
            add(ring, "l-" + k, k);
        }
        add(ring, "late", 118); // a late line crossing the wrap point
        java.util.List<String> last = ring.last(50).stream().map(OutputLine::text).toList();
        assertThat(last).hasSize(50).startsWith("l-71").endsWith("l-118", "late", "l-119");
        assertThat(ring.last(5).stream().map(OutputLine::text)).containsExactly("l-116", "l-117", "l-118", "late",
                "l-119");
    }

    @Test
    void linesOfOtherLengthsInReusedSlotsKeepTheirOwnBytes() {
        LineRing ring = new LineRing(4, "p", 0);
        for (int k = 0; k < 40; k++) {
            add(ring, "x".repeat((k * 7) % 23) + k, k);
        }
        add(ring, "late", 38); // shifted over a reused slot
        assertThat(texts(ring, 4)).containsExactly("x".repeat((37 * 7) % 23) + 37, "x".repeat((38 * 7) % 23) + 38,
                "late", "x".repeat((39 * 7) % 23) + 39);
    }

    @Test
    void bytesAreDecodedWhenReadOnceAndInvalidUtf8BecomesReplacementCharacters() {
        LineRing ring = new LineRing(4, "p", 3);
        byte[] b = {'o', 'k', (byte) 0xff};
        ring.add(b, 0, 3, Instant.EPOCH, 42, OutputStreamKind.STDERR, null, 1);
        b[0] = 'X'; // the ring copied the bytes
        OutputLine line = ring.last(1).get(0);
        assertThat(line).isEqualTo(new OutputLine(Instant.EPOCH, "p", 3, 42, OutputStreamKind.STDERR, "ok\uFFFD"));
        assertThat(ring.last(1).get(0)).isSameAs(line);
    }
}
