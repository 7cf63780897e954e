package io.tspm.internal;

import io.tspm.Human;
import io.tspm.LineListener;
import io.tspm.LogSettings;
import io.tspm.OutputLine;
import io.tspm.OutputStats;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessSpec;
import io.tspm.TspmException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where the lines of one instance go, across its restarts: the log files (written on the pump
 * thread, raw bytes behind a timestamp, or a JSON object), the ring of recent lines, the watchers
 * of {@link #awaitLine} (checked on the pump thread, so no line is missed), and, through the
 * supervisor's {@link LineDispatcher}, SLF4J and the line listeners.
 *
 * <p>Lines of stdout and stderr are shown together (the ring, hence recent output, exit records
 * and failed-start messages) in the order their reads returned. That is as close to the order the
 * program wrote them as two pipes allow: writes microseconds apart, or both waiting before either
 * pump ran, are ordered by which pump the scheduler ran first. One pipe ({@code mergeStderr}) is exact.
 */
final class InstanceOutput {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceOutput.class);

    private final Engine engine;
    private final ProcessSpec spec;
    private final int id;
    private final LogSettings settings;
    private final LineRing ring;
    private final Logger logger;
    private final CopyOnWriteArrayList<LineListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
    /** The file lines' timestamp format, made with the first line that needs it (most children print little). */
    private DateTimeFormatter timestamps;
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Reads from either stream so far: the order lines arrived in, for the ring. */
    private final AtomicLong arrivals = new AtomicLong();
    /** Its lines waiting for SLF4J and the listeners. */
    private final LineDispatcher.Inbox inbox = new LineDispatcher.Inbox(this);
    private final AtomicLong unwritten = new AtomicLong();
    private final AtomicLong failuresLogged = new AtomicLong();
    private RotatingLogFile outFile;
    private RotatingLogFile errFile;
    private boolean filesResolved;

    /** A pending {@link #awaitLine}: a pattern and its result; it sees every line read after it was added. */
    private record Watcher(Pattern pattern, CompletableFuture<OutputLine> found) {
    }

    /**
     * Where one stream of one process goes: what a reader of the child's pipe feeds, through a
     * {@link LineSplitter}. Not thread-safe: one thread per stream at a time. The contract, in
     * the order a reader calls it:
     * <ol>
     * <li>{@link #arrived()} when a read returned bytes, before any of its lines: it takes the
     *     arrival number (the order across stdout and stderr) and the time of the read;</li>
     * <li>{@link #line} for each line of that read, as bytes, without its terminator;</li>
     * <li>{@link #endOfRead()} after the read's last line: its lines go to the ring, the waiters,
     *     the listeners and the file's buffer, and the counts of {@link #stats()} move;</li>
     * <li>{@link #finish()} once, when the stream ended: the buffered file lines are written out.</li>
     * </ol>
     * In between, lines wait in the file's buffer at most {@link RotatingLogFile#FLUSH_INTERVAL}.
     *
     * <p>A read's lines are gathered as the file will get them (behind the timestamp, if any),
     * and handed on together: one copy per line and a few steps per read, so the path is short
     * from the first line on, before the JIT has compiled it. Bytes stay bytes on the way to the
     * file unless a format needs the text (JSON lines); the text is decoded once, and only when
     * someone reads it: a watcher, a line counter, a listener or an enabled SLF4J level when the
     * lines are handed on, or later, a reader of the ring.
     */
    final class Writer {
        private static final byte[] NONE = new byte[0];
        private static final int[] NO_LINES = new int[0];
        /** Lines gathered past this many bytes are handed on without waiting for the end of the read. */
        private static final int MAX_BATCH = 64 * 1024;
        /** A batch grown past this (many short lines in one read) is given back after use. */
        private static final int SHRINK_ABOVE = 64 * 1024;
        /** Bytes waiting for the file thread past which the reader pauses this stream ({@link #congested}). */
        private static final int CONGESTED_ABOVE = 4 * 1024 * 1024;
        private final OutputStreamKind kind;
        private final long pid;
        private final Long pidKey;
        /** Put before each line: "[preStart] " for a hook's output, else empty. */
        private final byte[] tag;
        private final RotatingLogFile file;
        private final Level level;
        /** The current read's lines as the file gets them: prefix, tag, line, '\n' each. */
        private byte[] batch = NONE; // allocated with the first line: many children never print
        private int batchLen;
        /** Where each line (tag and text, without the prefix) starts in {@link #batch}, and its length. */
        private int[] starts = NO_LINES;
        private int[] lengths = NO_LINES;
        private int count;
        private OutputLine[] decoded = new OutputLine[0];
        private long prefixMillis = Long.MIN_VALUE;
        private byte[] prefix = new byte[0];
        private long jsonMillis = Long.MIN_VALUE;
        private String jsonTime;
        private long arrival;
        /** The time of the current read: its lines share it. */
        private Instant now;
        /** Whether SLF4J takes this stream's lines, as of the current read. */
        private boolean logged;
        private long readLines;
        private long readBytes;
        private long readUnwritten;
        /**
         * The file's front when it is written on the log files' thread rather than here (else null):
         * when one thread reads many children's pipes, a stalled file must not stall all of them.
         */
        private final AsyncLogFile front;
        /** Completes when what {@link #finish} flushed is in the file. */
        private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

        private Writer(OutputStreamKind kind, long pid, String tag) {
            this.kind = kind;
            this.pid = pid;
            this.pidKey = pid;
            this.tag = tag.getBytes(StandardCharsets.UTF_8);
            this.file = file(kind);
            this.level = (kind == OutputStreamKind.STDOUT ? settings.stdoutLevel() : settings.stderrLevel()).orElse(null);
            this.now = engine.clock.instant();
            this.front = file != null && engine.spawner.readsOnSharedThread() ? engine.logFiles.frontOf(file) : null;
        }

        /** Whether the file thread is so far behind that the reader should pause this stream for a while. */
        boolean congested() {
            return front != null && front.pending() > CONGESTED_ABOVE;
        }

        /** Completes when everything up to {@link #finish} is in the file (at once when files are written here). */
        CompletableFuture<Void> written() {
            return written;
        }

        /**
         * A read from the child just returned: the lines it brought share one arrival number, later
         * than every line either stream read before, so the ring keeps the order they came in; and
         * one time, when the supervisor read them.
         */
        void arrived() {
            arrival = arrivals.incrementAndGet();
            now = engine.clock.instant();
            logged = level != null && logger.isEnabledForLevel(level);
            if (file != null && !settings.json() && settings.timestampFormat().isPresent()) {
                long millis = now.toEpochMilli();
                if (millis != prefixMillis) {
                    prefixMillis = millis;
                    prefix = (timestamps().format(now) + " ").getBytes(StandardCharsets.UTF_8);
                }
            }
        }

        /** One line of the current read, without its terminator; {@code src} may be reused once this returns. */
        void line(byte[] src, int off, int len) {
            int need = prefix.length + tag.length + len + 1;
            if (batchLen + need > batch.length) {
                if (batchLen > 0 && batchLen + need > MAX_BATCH) {
                    handOn();
                }
                if (batchLen + need > batch.length) {
                    batch = java.util.Arrays.copyOf(batch, Math.max(batchLen + need, Math.max(1024, 2 * batch.length)));
                }
            }
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, Math.max(16, 2 * count));
                lengths = java.util.Arrays.copyOf(lengths, Math.max(16, 2 * count));
            }
            int at = batchLen;
            System.arraycopy(prefix, 0, batch, at, prefix.length);
            at += prefix.length;
            starts[count] = at;
            lengths[count] = tag.length + len;
            count++;
            System.arraycopy(tag, 0, batch, at, tag.length);
            System.arraycopy(src, off, batch, at + tag.length, len);
            at += tag.length + len;
            batch[at] = '\n';
            batchLen = at + 1;
        }

        /** After the last line of a read: its lines are handed on, and the counts show them. */
        void endOfRead() {
            handOn();
            lines.addAndGet(readLines); // the file's buffer has them
            bytes.addAndGet(readBytes);
            if (readUnwritten != 0) {
                unwritten.addAndGet(readUnwritten);
            }
            readLines = 0;
            readBytes = 0;
            readUnwritten = 0;
        }

        /** The stream ended: every line of it is written to the file (or counted as unwritten). */
        void finish() {
            endOfRead();
            if (front != null) {
                written = front.flush();
            } else if (file != null) {
                unwritten.addAndGet(file.flush());
            }
        }

        /** The gathered lines to the ring, the counters, the waiters, the dispatcher and the file. Never throws. */
        private void handOn() {
            int n = count;
            if (n == 0) {
                return;
            }
            count = 0;
            int len = batchLen;
            batchLen = 0;
            readLines += n;
            readBytes += len - (long) prefix.length * n; // each line and its '\n'
            try {
                handOn(n, len);
            } catch (Throwable t) { // nothing a line does may stop the pump
                dropped.addAndGet(n);
                if (failuresLogged.getAndIncrement() < 3) {
                    LOG.error("handling lines of {}#{} failed", spec.name(), id, t);
                }
            } finally {
                java.util.Arrays.fill(decoded, 0, Math.min(n, decoded.length), null);
                if (batch.length > SHRINK_ABOVE) { // a burst of short lines behind prefixes: not kept for good
                    batch = NONE;
                    starts = NO_LINES;
                    lengths = NO_LINES;
                    decoded = new OutputLine[0];
                }
            }
        }

        private void handOn(int n, int len) {
            Map<String, Counter> mine = counters.isEmpty() ? null : counters.get(pidKey);
            boolean dispatch = logged || !listeners.isEmpty();
            OutputLine[] text = null;
            if (dispatch || mine != null || !watchers.isEmpty() || settings.json()) {
                if (decoded.length < n) {
                    decoded = new OutputLine[Math.max(n, 2 * decoded.length)];
                }
                text = decoded;
                for (int i = 0; i < n; i++) { // the one decode of each line
                    text[i] = new OutputLine(now, spec.name(), id, pid, kind,
                            new String(batch, starts[i], lengths[i], StandardCharsets.UTF_8));
                }
            }
            // The ring, the waiters and the dispatcher before the file: a slow file write of one
            // stream must not let the other stream's later lines overtake these.
            List<Runnable> due = null;
            synchronized (ring) { // with the counters, so a pattern counted from the ring is not counted twice
                ring.addAll(batch, starts, lengths, n, now, pid, kind, text, arrival);
                if (mine != null) {
                    for (int i = 0; i < n; i++) {
                        for (Counter c : mine.values()) {
                            if (c.pattern.matcher(text[i].text()).find()) {
                                due = c.reached(c.count.incrementAndGet(), due);
                            }
                        }
                    }
                }
            }
            if (due != null) {
                due.forEach(InstanceOutput::runTrigger); // after the lock: a probe's wake-up takes its monitor's
            }
            if (text != null) {
                for (int i = 0; i < n; i++) {
                    OutputLine line = text[i];
                    for (Watcher w : watchers) {
                        try {
                            if (w.pattern.matcher(line.text()).find()) {
                                w.found.complete(line);
                            }
                        } catch (Throwable t) { // a pathological pattern (stack overflow) fails its waiter, not the pump
                            w.found.completeExceptionally(t);
                        }
                    }
                    if (dispatch && !engine.lines.offer(inbox, line)) {
                        dropped.incrementAndGet();
                    }
                }
            }
            if (file == null) {
                return;
            }
            if (!settings.json()) {
                if (front != null) {
                    front.append(batch, 0, len, n, unwritten);
                } else {
                    readUnwritten += file.write(batch, 0, len, n); // whole lines, as they came (behind a prefix)
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                long millis = now.toEpochMilli();
                if (millis != jsonMillis) {
                    jsonMillis = millis;
                    jsonTime = Instant.ofEpochMilli(millis).toString();
                }
                OutputLine line = text[i];
                byte[] json = Json.line(jsonTime, spec.name(), id, kind.shortName(), line.text())
                        .getBytes(StandardCharsets.UTF_8);
                if (front != null) {
                    front.append(json, 0, json.length, 1, unwritten);
                } else {
                    readUnwritten += file.write(json, 0, json.length, 1);
                }
            }
        }
    }

    InstanceOutput(Engine engine, ProcessSpec spec, int id) {
        this.engine = engine;
        this.spec = spec;
        this.id = id;
        this.settings = spec.logs();
        this.ring = new LineRing(settings.recentLines(), spec.name(), id);
        this.logger = LoggerFactory.getLogger("tspm." + spec.name());
    }

    /** Both streams' readers may race here: each then makes an equal formatter (immutable, so safe to share racily). */
    private DateTimeFormatter timestamps() {
        DateTimeFormatter f = timestamps;
        if (f == null) {
            f = DateTimeFormatter.ofPattern(settings.timestampFormat().orElseThrow()).withZone(ZoneId.systemDefault());
            timestamps = f;
        }
        return f;
    }

    /** A writer for one stream of the process {@code pid} (one per pump thread). */
    Writer writer(OutputStreamKind kind, long pid) {
        counters.keySet().removeIf(p -> p != pid); // counts of earlier processes are done with
        return new Writer(kind, pid, "");
    }

    /** A writer for a hook's process {@code pid}: each line goes to the instance's output behind {@code tag}. */
    Writer hookWriter(long pid, String tag) {
        return new Writer(OutputStreamKind.STDOUT, pid, tag);
    }

    /**
     * Lines of {@code pid} matching a pattern, counted from the ring when first asked, then as they
     * come; and the actions to run once when the count reaches a number ({@link #onCount}).
     */
    private record Counter(Pattern pattern, AtomicLong count, CopyOnWriteArrayList<Trigger> triggers) {

        /** Adds to {@code due} the actions whose number {@code n} reached, each claimed once. */
        List<Runnable> reached(long n, List<Runnable> due) {
            if (triggers.isEmpty()) {
                return due;
            }
            for (Trigger t : triggers) {
                if (n >= t.at && triggers.remove(t)) {
                    due = due == null ? new ArrayList<>(1) : due;
                    due.add(t.action);
                }
            }
            return due;
        }
    }

    /** An action waiting for a count (identity, not value: two equal ones are two actions). */
    private static final class Trigger {
        final long at;
        final Runnable action;

        Trigger(long at, Runnable action) {
            this.at = at;
            this.action = action;
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<Long, Map<String, Counter>> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

    long countMatches(long pid, Pattern pattern) {
        return counter(pid, pattern).count.get();
    }

    /**
     * Runs {@code action} once, on the pump thread, when the count of {@code pattern} for
     * {@code pid} reaches {@code at} (here and now, if it already has). It must be quick and not block.
     */
    void onCount(long pid, Pattern pattern, long at, Runnable action) {
        Counter c = counter(pid, pattern);
        Trigger t = new Trigger(at, action);
        c.triggers.add(t);
        if (c.count.get() >= at && c.triggers.remove(t)) {
            runTrigger(action);
        }
    }

    private Counter counter(long pid, Pattern pattern) {
        Map<String, Counter> mine = counters.computeIfAbsent(pid, p -> new java.util.concurrent.ConcurrentHashMap<>());
        Counter c = mine.get(pattern.pattern());
        if (c == null) {
            synchronized (ring) {
                c = mine.get(pattern.pattern());
                if (c == null) {
                    long n = 0;
                    for (OutputLine l : ring.last(Integer.MAX_VALUE)) {
                        if (l.pid() == pid && pattern.matcher(l.text()).find()) {
                            n++;
                        }
                    }
                    c = new Counter(pattern, new AtomicLong(n), new CopyOnWriteArrayList<>());
                    mine.put(pattern.pattern(), c);
                }
            }
        }
        return c;
    }

    private static void runTrigger(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("a line-count action failed", e);
        }
    }

    private synchronized RotatingLogFile file(OutputStreamKind kind) {
        if (!filesResolved) {
            outFile = engine.logFiles.fileFor(spec, id, OutputStreamKind.STDOUT);
            errFile = engine.logFiles.fileFor(spec, id, OutputStreamKind.STDERR);
            filesResolved = true;
        }
        return kind == OutputStreamKind.STDOUT ? outFile : errFile;
    }

    /** On the dispatcher thread. */
    void deliver(OutputLine line) {
        Optional<Level> level = line.stream() == OutputStreamKind.STDOUT ? settings.stdoutLevel()
                : settings.stderrLevel();
        if (level.isPresent() && logger.isEnabledForLevel(level.get())) {
            LineDispatcher.log(logger, level.get(), line);
        }
        for (LineListener l : listeners) {
            LineDispatcher.notify(l, line);
        }
    }

    void addListener(LineListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(LineListener listener) {
        listeners.remove(listener);
    }

    /** The last {@code n} texts of process {@code pid}, oldest first. */
    List<String> lastTextsOf(long pid, int n) {
        return ring.lastTextsOf(pid, n);
    }

    /** The last {@code n} lines' texts, oldest first. */
    List<String> lastTexts(int n) {
        List<OutputLine> last = ring.last(n);
        List<String> out = new ArrayList<>(last.size());
        last.forEach(l -> out.add(l.text()));
        return out;
    }

    List<OutputLine> last(int n) {
        return ring.last(n);
    }

    /** The lines of one OS process still in the ring, oldest first. */
    List<OutputLine> linesOf(long pid) {
        List<OutputLine> all = ring.last(Integer.MAX_VALUE);
        List<OutputLine> out = new ArrayList<>();
        for (OutputLine l : all) {
            if (l.pid() == pid) {
                out.add(l);
            }
        }
        return out;
    }

    OutputStats stats() {
        return new OutputStats(lines.get(), bytes.get(), dropped.get(), unwritten.get());
    }

    /**
     * The first line matching {@code pattern}: one the running process {@code pid} already printed
     * (0: none runs, so no past line counts), or the next line read, of this or a later process,
     * within {@code timeout}.
     */
    OutputLine awaitLine(Pattern pattern, long pid, Duration timeout) {
        Watcher w = new Watcher(pattern, new CompletableFuture<>());
        watchers.add(w); // before looking back, so no line falls between the two
        try {
            if (pid != 0) {
                for (OutputLine l : ring.last(Integer.MAX_VALUE)) {
                    try {
                        if (l.pid() == pid && pattern.matcher(l.text()).find()) {
                            return l;
                        }
                    } catch (StackOverflowError e) {
                        throw new TspmException("the pattern /" + pattern + "/ overflowed the stack on a line of "
                                + l.text().length() + " characters", e);
                    }
                }
            }
            return w.found.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TspmException("no line of process '" + spec.name() + "' instance " + id + " matched /"
                    + pattern + "/ within " + Human.duration(timeout) + "; last lines: " + lastTexts(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TspmException("interrupted while waiting for a line matching /" + pattern + "/", e);
        } catch (ExecutionException e) {
            throw new TspmException("waiting for a line failed", e.getCause());
        } finally {
            watchers.remove(w);
        }
    }
}
