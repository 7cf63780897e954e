package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.LogWriteFailed;
import io.tspm.testsupport.Await;
import io.tspm.testsupport.EventRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output of real children into real files. */
class OutputTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    private Supervisor.Builder supervisor() {
        return Supervisor.builder().logDirectory(dir).addListener(events);
    }

    /** Every line of the log files whose names start with {@code prefix}, rotated and gzipped included. */
    private List<String> allLines(String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                byte[] content;
                try (InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(p))
                        : Files.newInputStream(p)) {
                    content = in.readAllBytes();
                }
                String text = new String(content, StandardCharsets.UTF_8);
                if (!text.isEmpty()) {
                    assertThat(text).as("%s ends with a whole line", p).endsWith("\n");
                    out.addAll(List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1));
                }
            }
        }
        return out;
    }

    private static List<String> gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static int number(String line) {
        return Integer.parseInt(line.replaceAll("\\D+(\\d+).*", "$1"));
    }

    private static void assertEachOnce(List<String> lines, String prefix, int count) {
        Map<String, Integer> seen = new HashMap<>();
        for (String l : lines) {
            seen.merge(l, 1, Integer::sum);
        }
        for (int i = 0; i < count; i++) {
            assertThat(seen.get(prefix + i)).as("line %s%d", prefix, i).isEqualTo(1);
        }
        assertThat(lines.stream().filter(l -> l.startsWith(prefix))).hasSize(count);
    }

    @Test
    void interleavedStdoutAndStderrLinesAreEachInTheirFilesExactlyOnceAcrossRotations() throws Exception {
        String script = "i=0; while [ $i -lt 4000 ]; do echo \"out-$i\"; echo \"err-$i\" >&2; i=$((i+1)); done";
        try (Supervisor s = supervisor()
                .addProcess("inter", p -> p.shell(script).readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(8 * 1024).maxFiles(1000).build()))
                .build()) {
            s.start();
            await().until(() -> s.describe("inter").get(0).state() == InstanceState.EXITED
                    && s.group("inter").instance(0).outputStats().lines() == 8000);
        }
        List<String> out = allLines("inter-0.out.log");
        List<String> err = allLines("inter-0.err.log");
        assertEachOnce(out, "out-", 4000);
        assertEachOnce(err, "err-", 4000);
        assertThat(out).noneMatch(l -> l.startsWith("err-"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("inter-0.out.log.")).count())
                    .isGreaterThan(3);
        }
    }

    @Test
    void linesOfBothStreamsKeepTheOrderTheyArrivedInWhenOneStreamsFileStalls() throws Exception {
        // The stdout log is a FIFO nobody reads yet: writing the first stdout line to it blocks that
        // stream's pump, as a stalled disk would, while the stderr line comes 0.3 s after it.
        Path fifo = dir.resolve("order-0.out.log");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        java.io.RandomAccessFile reader = null;
        try (Supervisor s = supervisor()
                .addProcess("order", p -> p.shell("echo starting; sleep 0.3; echo 'fatal: cannot open db' >&2; exit 1")
                        .readyAfter(Duration.ofSeconds(30)).restartPolicy(RestartPolicy.never()))
                .build()) {
            try {
                List<String> inOrder = List.of("starting", "fatal: cannot open db");
                assertThatThrownBy(s::start).isInstanceOfSatisfying(ProcessStartException.class,
                        e -> assertThat(e.recentOutput()).containsExactlyElementsOf(inOrder));
                ProcessInstance i = s.group("order").instance(0);
                assertThat(i.recentOutput(10)).containsExactlyElementsOf(inOrder);
                assertThat(i.recentLines(10)).extracting(OutputLine::stream)
                        .containsExactly(OutputStreamKind.STDOUT, OutputStreamKind.STDERR);
                await().until(() -> i.exitHistory().size() == 1 && i.exitHistory().get(0).lastOutput().size() == 2);
                assertThat(i.exitHistory().get(0).lastOutput()).containsExactlyElementsOf(inOrder);
            } finally {
                reader = new java.io.RandomAccessFile(fifo.toFile(), "rw"); // a reader: the pump's open returns
            }
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    @Test
    void rotationKeepsNGzippedFilesAndTheNewestLines() throws Exception {
        String script = "i=0; while [ $i -lt 3000 ]; do echo \"line-$i padding padding padding\"; i=$((i+1)); done";
        try (Supervisor s = supervisor()
                .addProcess("gz", p -> p.shell(script).readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(4096).maxFiles(2).gzip(true).build()))
                .build()) {
            s.start();
            await().until(() -> s.describe("gz").get(0).state() == InstanceState.EXITED
                    && s.group("gz").instance(0).outputStats().lines() == 3000);
        }
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        await().until(() -> !Files.exists(dir.resolve("gz-0.out.log.1"))); // compressed in the background
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertThat(names).containsExactly("gz-0.out.log", "gz-0.out.log.1.gz", "gz-0.out.log.2.gz"); // no stderr, no file
        for (String n : names) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(n))).as(n).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        }
        // Newest rotation in .1: its lines come after those of .2.
        List<String> one = gunzip(dir.resolve("gz-0.out.log.1.gz"));
        List<String> two = gunzip(dir.resolve("gz-0.out.log.2.gz"));
        assertThat(number(one.get(0))).isEqualTo(number(two.get(two.size() - 1)) + 1);
        List<String> kept = allLines("gz-0.out.log");
        assertThat(kept).contains("line-2999 padding padding padding");
        assertThat(Files.size(dir.resolve("gz-0.out.log"))).isLessThanOrEqualTo(4096);
        // Whatever was kept is whole and in order within each file; the oldest lines were rotated away.
        assertThat(kept).doesNotContain("line-0 padding padding padding");
    }

    @Test
    void mergedInstancesCombinedStreamsJsonAndTimestamps() throws Exception {
        try (Supervisor s = supervisor()
                .addProcess("merged", p -> p.shell("echo \"hello from $TSPM_INSTANCE_ID\"; echo \"oops \\\"quoted\\\"\" >&2; sleep 60")
                        .instances(2).logs(LogSettings.builder().mergeInstances(true).combineStreams(true).json(true).build()))
                .addProcess("stamped", p -> p.shell("echo stamped; sleep 60")
                        .logs(LogSettings.builder().timestampFormat("HH:mm:ss.SSS").build()))
                .build()) {
            s.start();
            await().until(() -> allLines("merged.log").size() == 4 && allLines("stamped-0.out.log").size() == 1);
            List<String> json = allLines("merged.log");
            assertThat(json).allMatch(l -> l.matches("\\{\"time\":\"[^\"]+\",\"process\":\"merged\",\"instance\":[01],"
                    + "\"stream\":\"(out|err)\",\"message\":\".*\"}"));
            assertThat(json).anyMatch(l -> l.contains("\"instance\":1,\"stream\":\"out\",\"message\":\"hello from 1\""));
            assertThat(json).anyMatch(l -> l.contains("\"stream\":\"err\",\"message\":\"oops \\\"quoted\\\"\""));
            assertThat(allLines("stamped-0.out.log").get(0)).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} stamped");
            assertThat(Files.getPosixFilePermissions(dir.resolve("merged.log")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        }
    }

    @Test
    void flushAndReopenWhileWritingLoseNoLineOfTheCurrentFile() throws Exception {
        // A sleep per 10 lines, not per line: 3,000 forks took over 40 s on a loaded 2-core machine.
        String script = "i=0; while [ $i -lt 3000 ]; do echo \"n-$i\"; i=$((i+1));"
                + " [ $((i % 10)) -ne 0 ] || sleep 0.01; done; echo done; sleep 60";
        try (Supervisor s = supervisor()
                .addProcess("busy", p -> p.shell(script).logs(LogSettings.builder().noTimestamps().build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("busy").instance(0);
            i.awaitLine("n-500$", Duration.ofSeconds(20));
            // An outside tool moves the file away; reopen makes new lines go to a new file by the old name.
            Path log = dir.resolve("busy-0.out.log");
            Path moved = dir.resolve("moved.out");
            Files.move(log, moved);
            s.reopenLogs();
            i.awaitLine("n-1500$", Duration.ofSeconds(20));
            // The file gets a line at the end of the chunk it came in (the ring at once): wait for it.
            await().until(() -> Files.readAllLines(log).contains("n-1500"));
            // Before the flush: moved and current files together hold every line so far exactly once.
            List<String> union = new ArrayList<>(Files.readAllLines(moved));
            union.addAll(Files.readAllLines(log));
            int last = union.stream().mapToInt(l -> Integer.parseInt(l.substring(2))).max().orElseThrow();
            assertThat(last).isGreaterThanOrEqualTo(1500);
            assertEachOnce(union, "n-", last + 1);
            s.flushLogs();
            i.awaitLine("^done$", Duration.ofSeconds(20));
            await().until(() -> Files.readAllLines(log).contains("done")); // flushed with its chunk
            List<String> before = Files.readAllLines(moved);
            List<String> after = Files.readAllLines(log);
            // Moved file and current file hold disjoint runs of whole lines; after the flush the
            // current file starts mid-stream and runs to the end without a gap.
            assertThat(before).allMatch(l -> l.matches("n-\\d+"));
            assertThat(after.get(after.size() - 1)).isEqualTo("done");
            int first = Integer.parseInt(after.get(0).substring(2));
            for (int k = 0; k < after.size() - 1; k++) {
                assertThat(after.get(k)).isEqualTo("n-" + (first + k));
            }
            assertThat(first + after.size() - 1).isEqualTo(3000);
            assertThat(i.outputStats().lines()).isEqualTo(3001);
        }
    }

    @Test
    void aGroupsFlushEmptiesItsOwnFilesOnly() throws Exception {
        try (Supervisor s = supervisor()
                .addProcess("mine", p -> p.shell("echo first; while [ ! -e \"$GO\" ]; do sleep 0.05; done; echo second; sleep 60")
                        .env("GO", dir.resolve("go").toString()).instances(2)
                        .logs(LogSettings.builder().noTimestamps().build()))
                .addProcess("other", p -> p.shell("echo kept; sleep 60").logs(LogSettings.builder().noTimestamps().build()))
                .build()) {
            s.start();
            await().until(() -> allLines("mine-0.out.log").contains("first") && allLines("mine-1.out.log").contains("first")
                    && allLines("other-0.out.log").contains("kept"));
            s.group("mine").flushLogs();
            assertThat(allLines("mine-0.out.log")).isEmpty();
            assertThat(allLines("mine-1.out.log")).isEmpty();
            assertThat(allLines("other-0.out.log")).containsExactly("kept");
            // Lines keep coming into the emptied file, and the ring keeps what it had.
            Files.createFile(dir.resolve("go"));
            await().until(() -> allLines("mine-0.out.log").equals(List.of("second")));
            assertThat(s.group("mine").instance(0).recentLines(10)).extracting(OutputLine::text).contains("first", "second");
        }
    }

    @Test
    void totalSizeCapDeletesTheOldestRotatedFiles() throws Exception {
        String script = "i=0; while [ $i -lt 4000 ]; do echo \"line-$i padding padding padding\"; i=$((i+1)); done";
        try (Supervisor s = supervisor()
                .addProcess("capped", p -> p.shell(script).readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(4096).maxFiles(100).maxTotalSize(16384).build()))
                .build()) {
            s.start();
            await().until(() -> s.group("capped").instance(0).outputStats().lines() == 4000);
        }
        long total;
        try (Stream<Path> files = Files.list(dir)) {
            total = files.filter(p -> p.getFileName().toString().startsWith("capped")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(total).isLessThanOrEqualTo(16384 + 4096);
        assertThat(allLines("capped-0.out.log")).contains("line-3999 padding padding padding");
    }

    @Test
    void theTotalCapCountsOnlyTheProcessesOwnFiles() throws Exception {
        Files.writeString(dir.resolve("api-2.out.log.1"), "x".repeat(50_000)); // another process's file
        Files.writeString(dir.resolve("api.v2.out.log.1"), "y".repeat(50_000));
        String script = "i=0; while [ $i -lt 2000 ]; do echo \"line-$i padding padding padding\"; i=$((i+1)); done";
        try (Supervisor s = supervisor()
                .addProcess("api", p -> p.shell(script).readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(4096).maxFiles(100).maxTotalSize(16384)
                                .mergeInstances(true).build()))
                .build()) {
            s.start();
            await().until(() -> s.group("api").instance(0).outputStats().lines() == 2000);
        }
        assertThat(Files.size(dir.resolve("api-2.out.log.1"))).isEqualTo(50_000);
        assertThat(Files.size(dir.resolve("api.v2.out.log.1"))).isEqualTo(50_000);
        long own;
        try (Stream<Path> files = Files.list(dir)) {
            own = files.filter(p -> p.getFileName().toString().matches("api\\.out\\.log.*")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(own).isLessThanOrEqualTo(16384 + 4096);
    }

    @Test
    void aPathologicalPatternFailsItsWaiterNotThePumpNorTheChild() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("long", p -> p.shell("head -c 30000 /dev/zero | tr '\\0' 'a'; echo; sleep 0.5; echo after; sleep 60"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("long").instance(0);
            long pid = i.pid().getAsLong();
            assertThatThrownBy(() -> i.awaitLine("^(a|b)*c$", Duration.ofSeconds(10))).isInstanceOf(TspmException.class);
            i.awaitLine("^after$", Duration.ofSeconds(10));
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(i.pid()).hasValue(pid);
        }
    }

    @Test
    void awaitLineNeverReturnsALineOfAnEarlierRun() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("again", p -> p.shell("echo \"ready $$\"; sleep 0.3; exit 1")
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(500)).unlimitedRestarts().build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("again").instance(0);
            await().until(() -> i.state() == InstanceState.BACKOFF);
            long oldPid = i.exitHistory().get(0).pid();
            OutputLine next = i.awaitLine("^ready", Duration.ofSeconds(20));
            assertThat(next.pid()).isNotEqualTo(oldPid);
            assertThat(next.text()).isEqualTo("ready " + next.pid());
        }
    }

    @Test
    void aOneMebibyteLineIsSplitAndBinaryGarbageDoesNotStopThePump() throws Exception {
        String script = "head -c 1048576 /dev/zero | tr '\\0' 'x'; echo; head -c 4096 /dev/urandom; echo; echo after-garbage; sleep 60";
        try (Supervisor s = supervisor()
                .addProcess("big", p -> p.shell(script).logs(LogSettings.builder().noTimestamps().build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("big").instance(0);
            i.awaitLine("^after-garbage$", Duration.ofSeconds(20));
            List<OutputLine> lines = i.recentLines(1000);
            assertThat(lines.stream().filter(l -> l.text().matches("x+")).mapToInt(l -> l.text().length()))
                    .containsOnly(64 * 1024).hasSize(16);
            await().until(() -> Files.readString(dir.resolve("big-0.out.log"), StandardCharsets.ISO_8859_1)
                    .endsWith("after-garbage\n"));
            assertThat(Files.size(dir.resolve("big-0.out.log"))).isGreaterThan(1048576 + 4096);
        }
    }

    @Test
    void aChildWritingAMillionLinesIsNeverHeldUpByASlowListener() throws Exception {
        AtomicLong heard = new AtomicLong();
        String script = "awk 'BEGIN { for (i = 0; i < 1000000; i++) printf \"line %07d .................................................\\n\", i }'";
        try (Supervisor s = supervisor()
                .addProcess("flood", p -> p.shell(script).readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(1L << 30).stdoutLevel(null).build()))
                .build()) {
            ProcessInstance i = s.group("flood").instance(0);
            i.addLineListener(line -> {
                heard.incrementAndGet();
                try {
                    Thread.sleep(1); // a listener far slower than the child
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            s.start();
            await().until(() -> i.state() == InstanceState.EXITED && i.outputStats().lines() == 1_000_000);
            // The child ran to its end long before the listener could have heard even a tenth.
            OutputStats stats = i.outputStats();
            assertThat(stats.droppedLines()).isGreaterThan(0);
            assertThat(heard.get()).isLessThan(1_000_000);
            assertThat(stats.unwrittenLines()).isZero();
            // Written out when the stream ended, just after the last read was counted.
            await().until(() -> {
                try (Stream<String> lines = Files.lines(dir.resolve("flood-0.out.log"))) {
                    return lines.count() == 1_000_000;
                }
            });
        }
    }

    @Test
    void aChattyProcessWithASlowListenerDropsOnlyItsOwnLines() throws Exception {
        java.util.List<String> quietHeard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Supervisor s = supervisor()
                .addProcess("chatty", p -> p.shell("while :; do seq 1 100000; done").readyAfter(Duration.ZERO)
                        .logs(LogSettings.builder().stdoutLevel(null).build()))
                .addProcess("quiet", p -> p.shell("sleep 1; seq 1 20; sleep 60").readyAfter(Duration.ZERO)
                        .logs(LogSettings.builder().stdoutLevel(null).build()))
                .build()) {
            ProcessInstance chatty = s.group("chatty").instance(0);
            chatty.addLineListener(line -> {
                try {
                    Thread.sleep(1); // far slower than the child: its inbox fills and overflows
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ProcessInstance quiet = s.group("quiet").instance(0);
            quiet.addLineListener(line -> quietHeard.add(line.text()));
            s.start();
            // The chatty one floods all along; the quiet one's lines wait at most a batch of its turn.
            await().until(() -> quiet.outputStats().lines() == 20 && quietHeard.size() == 20);
            assertThat(quiet.outputStats().droppedLines()).isZero();
            assertThat(chatty.outputStats().droppedLines()).isGreaterThan(10_000);
        }
    }

    @Test
    void aFullDiskIsReportedAndTheProcessKeepsRunning() throws Exception {
        Files.createSymbolicLink(dir.resolve("full-0.out.log"), Path.of("/dev/full"));
        try (Supervisor s = supervisor()
                .addProcess("full", p -> p.shell("i=0; while true; do echo \"tick $i\"; i=$((i+1)); sleep 0.02; done"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("full").instance(0);
            // Across several retries of the file (every 2 s), one event for the whole spell.
            i.awaitLine("tick 250$", Duration.ofSeconds(30));
            LogWriteFailed failed = events.of(LogWriteFailed.class).get(0);
            assertThat(failed.file().getFileName()).hasToString("full-0.out.log");
            assertThat(failed.error()).contains("No space left on device");
            assertThat(events.of(LogWriteFailed.class)).hasSize(1);
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
            // Not one line reached the file, and every one is counted so.
            OutputStats stats = i.outputStats();
            await().until(() -> i.outputStats().unwrittenLines() >= stats.lines() - 1);
        }
    }

    @Test
    void awaitLineFindsPastAndFutureLinesAndTimesOutClearly() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("late", p -> p.shell("echo early; sleep 0.5; echo 'server listening on 8080'; sleep 60"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("late").instance(0);
            assertThat(i.awaitLine("early", Duration.ofSeconds(5)).text()).isEqualTo("early");
            OutputLine l = i.awaitLine("listening on (\\d+)", Duration.ofSeconds(20));
            assertThat(l.stream()).isEqualTo(OutputStreamKind.STDOUT);
            assertThat(l.pid()).isEqualTo(i.pid().getAsLong());
            assertThatThrownBy(() -> i.awaitLine("never printed", Duration.ofMillis(200)))
                    .isInstanceOf(TspmException.class)
                    .hasMessageContaining("no line of process 'late' instance 0 matched /never printed/ within 200 ms")
                    .hasMessageContaining("server listening on 8080");
        }
    }

    @Test
    void bytesThatAreNotUtf8ReachTheFileUnchanged() throws Exception {
        try (Supervisor s = supervisor()
                .addProcess("raw", p -> p.shell("printf 'a\\377\\376b\\300\\r\\nnext\\n'; sleep 60")
                        .logs(LogSettings.builder().noTimestamps().stdoutLevel(null).build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("raw").instance(0);
            assertThat(i.awaitLine("^next$", Duration.ofSeconds(20)).text()).isEqualTo("next");
            assertThat(i.recentOutput(2)).containsExactly("a\uFFFD\uFFFDb\uFFFD", "next");
            byte[] expected = {'a', (byte) 0xff, (byte) 0xfe, 'b', (byte) 0xc0, '\n', 'n', 'e', 'x', 't', '\n'};
            await().until(() -> java.util.Arrays.equals(Files.readAllBytes(dir.resolve("raw-0.out.log")), expected));
        }
    }

    @Test
    void aLineWaitsAtMostTheFlushIntervalAndACrashedChildsLastLineIsWrittenWhenItsOutputEnds() throws Exception {
        io.tspm.testing.ManualScheduler time = new io.tspm.testing.ManualScheduler();
        Supervisor s = supervisor().scheduler(time).ticker(time)
                .addProcess("quiet", p -> p.shell("echo 'said once'; while [ ! -e " + dir.resolve("done")
                        + " ]; do sleep 0.05; done").readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                        .logs(LogSettings.builder().noTimestamps().stdoutLevel(null).build()))
                .addProcess("crash", p -> p.shell("echo 'last words'; kill -9 $$").readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.never()).logs(LogSettings.builder().noTimestamps().build()))
                .build();
        try {
            awaitTheFlushInterval(s, time);
        } finally {
            Files.createFile(dir.resolve("done")); // ends the quiet one
            time.advanceDuring(s::close, Duration.ofMillis(10)); // a stop waits on manual time
        }
    }

    private void awaitTheFlushInterval(Supervisor s, io.tspm.testing.ManualScheduler time) throws Exception {
        s.start();
        ProcessInstance quiet = s.group("quiet").instance(0);
        // Time stands still: the crashed child's line is in its file because its output ended.
        await().until(() -> s.group("crash").instance(0).state() == InstanceState.EXITED
                && Files.exists(dir.resolve("crash-0.out.log"))
                && Files.readString(dir.resolve("crash-0.out.log")).equals("last words\n"));
        // The quiet one's line waits in the buffer (counted once it is there) until the interval passed.
        await().until(() -> quiet.outputStats().lines() == 1);
        Path log = dir.resolve("quiet-0.out.log");
        await().until(() -> Files.exists(log)); // the native path creates it on the files thread
        assertThat(Files.readString(log)).isEmpty();
        time.advance(Duration.ofMillis(99));
        // Still empty a while later: on the native path a flush would write on another thread.
        Await.within(Duration.ofSeconds(1)).during(Duration.ofMillis(200)).until(() -> Files.readString(log).isEmpty());
        time.advance(Duration.ofMillis(1));
        // Written at once by the thread that read it (JDK path), or soon by the files thread (native path).
        await().until(() -> Files.readString(log).equals("said once\n"));
    }

    @Test
    void badLogSettingsAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> LogSettings.builder().maxFileSize(10)).hasMessage("maxFileSize must be >= 1024 bytes, but was 10");
        assertThatThrownBy(() -> LogSettings.builder().maxFiles(-1)).hasMessage("maxFiles must be in 0..1000, but was -1");
        assertThatThrownBy(() -> LogSettings.builder().maxTotalSize(-5)).hasMessage("maxTotalSize must be >= 0, but was -5");
        assertThatThrownBy(() -> LogSettings.builder().recentLines(0)).hasMessage("recentLines must be in 1..1000000, but was 0");
        assertThatThrownBy(() -> LogSettings.builder().maxLineLength(10)).hasMessage("maxLineLength must be in 80..16777216, but was 10");
        assertThatThrownBy(() -> LogSettings.builder().timestampFormat("yyyy-MM-dd {{")).hasMessageContaining("but was 'yyyy-MM-dd {{'");
        assertThatThrownBy(() -> LogSettings.builder().maxFileSize(8192).maxTotalSize(4096).build())
                .hasMessage("maxTotalSize (4096) must be 0 or >= maxFileSize (8192)");
        assertThatThrownBy(() -> LogSettings.builder().directory(null)).isInstanceOf(NullPointerException.class).hasMessage("directory");
    }
}
