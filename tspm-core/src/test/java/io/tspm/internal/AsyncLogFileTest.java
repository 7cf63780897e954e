package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front of a log file written on another thread, on real files, with the timed flush run by hand. */
class AsyncLogFileTest {

    @TempDir
    Path dir;

    private final List<Runnable> timers = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();
    private final ExecutorService files = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopTheFilesThread() throws InterruptedException {
        files.shutdown();
        assertThat(files.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private AsyncLogFile front(Path path, long maxSize) {
        RotatingLogFile file = new RotatingLogFile(path, maxSize, 3, false, new Object(), Runnable::run,
                failures::add, () -> { }, r -> { });
        return new AsyncLogFile(file, files, timers::add);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void append(AsyncLogFile f, String lines, AtomicLong unwritten) {
        byte[] b = bytes("#" + lines); // an offset, as a reader's batch has
        f.append(b, 1, b.length - 1, (int) lines.chars().filter(c -> c == '\n').count(), unwritten);
        java.util.Arrays.fill(b, (byte) '?'); // the caller reuses its array at once
    }

    @Test
    void linesWaitUntilTheTimedFlushAndReachTheFileOnTheFilesThread() throws Exception {
        Path path = dir.resolve("p-0.out.log");
        AsyncLogFile f = front(path, 1 << 20);
        AtomicLong unwritten = new AtomicLong();
        append(f, "one\n", unwritten);
        append(f, "two\n", unwritten);
        assertThat(timers).as("one timer for the burst").hasSize(1);
        f.flush().get(10, TimeUnit.SECONDS); // the file is opened with the first line: it is there, empty
        assertThat(Files.readString(path)).isEqualTo("one\ntwo\n");
        append(f, "three\n", unwritten);
        files.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(path)).as("still in the front").isEqualTo("one\ntwo\n");
        timers.remove(0).run();
        f.flush().get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(path)).isEqualTo("one\ntwo\nthree\n");
        assertThat(unwritten).hasValue(0);
        assertThat(f.pending()).isZero();
    }

    @Test
    void manyWritersAndLongBlocksKeepTheirOrderAndEveryByte() throws Exception {
        Path path = dir.resolve("merged.log");
        AsyncLogFile f = front(path, 1L << 30);
        AtomicLong a = new AtomicLong();
        AtomicLong b = new AtomicLong();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            String line = (i % 3 == 0 ? "a " : "b ") + i + " " + "z".repeat(i % 300) + "\n";
            if (i % 5_000 == 0) {
                line = "long " + "x".repeat(3 * AsyncLogFile.MAX_BUFFER) + "\n"; // longer than any buffer
            }
            expected.append(line);
            append(f, line, i % 3 == 0 ? a : b);
        }
        f.flush().get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(path)).isEqualTo(expected.toString());
        assertThat(a).hasValue(0);
        assertThat(b).hasValue(0);
        assertThat(failures).isEmpty();
    }

    @Test
    void aRotationInsideABufferSplitsNoLine() throws Exception {
        Path path = dir.resolve("r.log");
        AsyncLogFile f = front(path, 1024);
        AtomicLong unwritten = new AtomicLong();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String line = "line " + i + " " + "r".repeat(40) + "\n";
            all.append(line);
            append(f, line, unwritten);
        }
        f.flush().get(10, TimeUnit.SECONDS);
        String current = Files.readString(path);
        String first = Files.readString(dir.resolve("r.log.1"));
        assertThat(all.toString()).endsWith(first + current);
        assertThat(current).startsWith("line ").endsWith("\n");
        assertThat(first).startsWith("line ").endsWith("\n");
        assertThat(current.length()).isLessThanOrEqualTo(1024);
    }

    @Test
    void linesAFailingDiskLosesAreCountedForWhoeverWroteThem() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        AsyncLogFile f = front(notADirectory.resolve("p.log"), 1 << 20);
        AtomicLong mine = new AtomicLong();
        AtomicLong theirs = new AtomicLong();
        append(f, "1\n2\n", mine);
        append(f, "3\n", theirs);
        append(f, "4\n5\n6\n", mine);
        f.flush().get(10, TimeUnit.SECONDS);
        assertThat(mine).hasValue(5);
        assertThat(theirs).hasValue(1);
        assertThat(failures).hasSize(1);
        assertThat(f.pending()).isZero();
    }
}
