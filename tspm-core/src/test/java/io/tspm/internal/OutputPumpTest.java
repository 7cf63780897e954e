package io.tspm.internal;

import static io.tspm.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutputPumpTest {

    private static List<String> pump(byte[] input, int expectedLines) {
        LineRing ring = new LineRing(100);
        OutputPump.start("test-pump", new ByteArrayInputStream(input), LoggerFactory.getLogger("tspm.test"), false,
                0, ring);
        await().until(() -> ring.last(100).size() == expectedLines);
        return ring.last(100);
    }

    @Test
    void splitsLinesDropsCarriageReturnsAndKeepsTheLastPartialLine() {
        assertThat(pump("one\r\ntwo\n\nthree".getBytes(StandardCharsets.UTF_8), 4))
                .containsExactly("one", "two", "", "three");
    }

    @Test
    void overlongLinesAreSplitAtTheBound() {
        byte[] line = new byte[OutputPump.MAX_LINE * 2 + 10];
        java.util.Arrays.fill(line, (byte) 'x');
        List<String> lines = pump(line, 3);
        assertThat(lines).extracting(String::length).containsExactly(OutputPump.MAX_LINE, OutputPump.MAX_LINE, 10);
    }

    @Test
    void invalidUtf8AndBinaryDoNotBreakThePump() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        out.writeBytes("après\n".getBytes(StandardCharsets.UTF_8));
        List<String> lines = pump(out.toByteArray(), 2);
        assertThat(lines.get(0)).startsWith("\uFFFD\uFFFD");
        assertThat(lines.get(1)).isEqualTo("après");
    }

    @Test
    void ringKeepsTheLastLinesOldestFirst() {
        LineRing ring = new LineRing(3);
        for (int i = 0; i < 5; i++) {
            ring.add("l" + i);
        }
        assertThat(ring.last(10)).containsExactly("l2", "l3", "l4");
        assertThat(ring.last(2)).containsExactly("l3", "l4");
        assertThat(ring.last(0)).isEmpty();
    }
}
