package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer of a log file, on real files, with the timed flush run by hand. */
class RotatingLogFileTest {

    @TempDir
    Path dir;

    private final List<Runnable> timers = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();

    private RotatingLogFile file(long maxSize) {
        return new RotatingLogFile(dir.resolve("p-0.out.log"), maxSize, 3, false, new Object(), Runnable::run,
                failures::add, () -> { }, timers::add);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String content() throws IOException {
        return Files.readString(dir.resolve("p-0.out.log"));
    }

    @Test
    void linesWaitInTheBufferUntilTheTimedFlushAndOneTimerServesABurst() throws IOException {
        RotatingLogFile f = file(1 << 20);
        assertThat(f.write(bytes("one\n"), 0, 4)).isZero();
        assertThat(f.write(bytes("xtwo\n"), 1, 4)).isZero();
        assertThat(content()).isEmpty();
        assertThat(timers).hasSize(1);
        timers.remove(0).run();
        assertThat(content()).isEqualTo("one\ntwo\n");
        f.write(bytes("three\n"), 0, 6); // after a flush, the next line arms the timer again
        assertThat(timers).hasSize(1);
        f.close();
        assertThat(content()).isEqualTo("one\ntwo\nthree\n");
        timers.remove(0).run(); // late: nothing left, nothing breaks
        assertThat(f.write(bytes("after\n"), 0, 6)).as("refused after close").isEqualTo(1);
    }

    @Test
    void aBusyFileIsWrittenInLargeBlocksWithEveryByteInOrder() throws IOException {
        RotatingLogFile f = file(1L << 30);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            String line = "line " + i + " " + "y".repeat(i % 97) + "\n";
            expected.append(line);
            assertThat(f.write(bytes(line), 0, line.length())).isZero();
        }
        byte[] huge = bytes("z".repeat(300 * 1024) + "\n"); // larger than the largest buffer
        expected.append(new String(huge, StandardCharsets.UTF_8));
        f.write(huge, 0, huge.length);
        assertThat(timers).hasSize(1); // a full buffer is written without waiting for the timer
        assertThat(f.flush()).isZero();
        assertThat(content()).isEqualTo(expected.toString());
        f.close();
    }

    @Test
    void aRotationWritesTheBufferToTheOldFileFirst() throws IOException {
        RotatingLogFile f = file(1024);
        String line = "x".repeat(99) + "\n";
        for (int i = 0; i < 15; i++) {
            f.write(bytes(line), 0, line.length());
        }
        f.flush();
        assertThat(Files.readString(dir.resolve("p-0.out.log.1"))).isEqualTo(line.repeat(10));
        assertThat(content()).isEqualTo(line.repeat(5));
        f.close();
    }

    @Test
    void aBlockOfLinesIsRotatedBetweenItsLinesEvenIntoAnEmptyFile() throws IOException {
        RotatingLogFile f = file(1024);
        String line = "x".repeat(99) + "\n";
        byte[] block = bytes(line.repeat(15));
        assertThat(f.write(block, 0, block.length, 15)).isZero();
        f.flush();
        assertThat(Files.readString(dir.resolve("p-0.out.log.1"))).isEqualTo(line.repeat(10));
        assertThat(content()).isEqualTo(line.repeat(5));
        f.close();
    }

    @Test
    void linesLostInATimedFlushAreToldToTheNextCaller() throws IOException {
        Files.createSymbolicLink(dir.resolve("p-0.out.log"), Path.of("/dev/full"));
        RotatingLogFile f = file(1 << 20);
        f.write(bytes("a\n"), 0, 2);
        f.write(bytes("b\n"), 0, 2);
        timers.remove(0).run(); // the disk is full: both lines are lost, and reported once
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).hasMessageContaining("No space left on device");
        assertThat(f.flush()).isEqualTo(2);
        assertThat(f.flush()).isZero();
        f.close();
    }
}
