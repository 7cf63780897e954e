package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.LogSettings;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessSpec;
import io.tspm.time.Ticker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

    private static final int MAX = 100;
    private final Engine engine = new Engine("pump-test", Clock.systemUTC(), Ticker.system(), null, false, false, null, java.time.Duration.ZERO);

    @AfterEach
    void close() {
        engine.close();
    }

    private List<String> pump(byte[] input) {
        return pump(input, Integer.MAX_VALUE);
    }

    /** Pumps {@code input} as reads of at most {@code chunk} bytes, as a pipe may deliver it. */
    private List<String> pump(byte[] input, int chunk) {
        ProcessSpec spec = ProcessSpec.builder("p").command("x")
                .logs(LogSettings.builder().maxLineLength(MAX).stdoutLevel(null).build()).build();
        InstanceOutput out = new InstanceOutput(engine, spec, 0);
        java.io.InputStream in = new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        CompletableFuture<Void> done = OutputPump.start("test-pump", in, out.writer(OutputStreamKind.STDOUT, 1), MAX);
        await().until(done::isDone);
        return out.lastTexts(1000);
    }

    @Test
    void splitsLinesDropsCarriageReturnsAndKeepsTheLastPartialLine() {
        assertThat(pump("one\r\ntwo\n\nthree".getBytes(StandardCharsets.UTF_8))).containsExactly("one", "two", "", "three");
    }

    @Test
    void overlongLinesAreSplitAtTheBoundWithoutEmptyPieces() {
        String x = "x".repeat(2 * MAX + 10);
        assertThat(pump((x + "\nnext\n").getBytes(StandardCharsets.UTF_8)))
                .extracting(String::length).containsExactly(MAX, MAX, 10, 4);
        assertThat(pump(("y".repeat(2 * MAX) + "\nnext\n").getBytes(StandardCharsets.UTF_8)))
                .extracting(String::length).containsExactly(MAX, MAX, 4);
    }

    @Test
    void howAPipeSplitsItsReadsChangesNothing() {
        byte[] input = ("a".repeat(MAX - 1) + "\r\n" + "b".repeat(2 * MAX - 1) + "\r\n" + "c".repeat(MAX) + "\n"
                + "short\r\n").getBytes(StandardCharsets.UTF_8);
        List<String> whole = pump(input);
        assertThat(whole).extracting(String::length).containsExactly(MAX - 1, MAX, MAX - 1, MAX, 5);
        for (int chunk : new int[] {1, 7, MAX - 1, MAX, MAX + 1, 3 * MAX}) {
            assertThat(pump(input, chunk)).as("reads of %d bytes", chunk).isEqualTo(whole);
        }
    }

    @Test
    void invalidUtf8AndBinaryDoNotBreakThePump() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        bytes.writeBytes("après\n".getBytes(StandardCharsets.UTF_8));
        List<String> lines = pump(bytes.toByteArray());
        assertThat(lines.get(0)).startsWith("\uFFFD\uFFFD");
        assertThat(lines.get(1)).isEqualTo("après");
    }

    @Test
    void jsonStringsAreEscaped() {
        StringBuilder sb = new StringBuilder();
        Json.string(sb, "a\"b\\c\nd\u0001\u2028");
        assertThat(sb).hasToString("\"a\\\"b\\\\c\\nd\\u0001\\u2028\"");
    }
}
