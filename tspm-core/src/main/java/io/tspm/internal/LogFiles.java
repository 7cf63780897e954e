package io.tspm.internal;

import io.tspm.LogSettings;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessSpec;
import io.tspm.event.LogWriteFailed;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open log files of one supervisor, by path, so that merged instances share one file and
 * flush and reopen reach every file. Names: {@code <process>[-<id>].out.log}, {@code .err.log},
 * or {@code .log} for combined streams; rotated files add {@code .1}, {@code .2}, ... ({@code .gz}).
 */
final class LogFiles {

    private static final Logger LOG = LoggerFactory.getLogger(LogFiles.class);

    private final Engine engine;
    private final Path supervisorDirectory;
    private final Map<Path, RotatingLogFile> open = new LinkedHashMap<>();
    private final Map<Path, String> owners = new LinkedHashMap<>();
    private final Map<String, Object> rotationLocks = new LinkedHashMap<>();
    private final Map<Path, Path> absoluteDirectories = new java.util.HashMap<>();
    /** The fronts of files whose lines are read on a shared thread, by file. */
    private final Map<RotatingLogFile, AsyncLogFile> fronts = new java.util.IdentityHashMap<>();
    private java.util.concurrent.ExecutorService compressor;
    /** The writes of pipes read on a shared thread (the native path's one loop); guarded by this. */
    private java.util.concurrent.ThreadPoolExecutor writer;
    private boolean closed;

    LogFiles(Engine engine, Path supervisorDirectory) {
        this.engine = engine;
        this.supervisorDirectory = supervisorDirectory;
    }

    /** The file this instance's lines of {@code stream} go to, or null when it writes no files. */
    synchronized RotatingLogFile fileFor(ProcessSpec spec, int instanceId, OutputStreamKind stream) {
        LogSettings s = spec.logs();
        Path dir = s.directory().orElse(supervisorDirectory);
        if (!s.files() || dir == null) {
            return null;
        }
        // One builder, sized: a supervisor of 1,000 instances names 2,000 files.
        StringBuilder name = new StringBuilder(spec.name().length() + 20).append(spec.name());
        if (!s.mergeInstances()) {
            name.append('-').append(instanceId);
        }
        name.append(s.combineStreams() ? ".log" : stream == OutputStreamKind.STDOUT ? ".out.log" : ".err.log");
        Path path = absolute(dir).resolve(name.toString()); // a name without '/': already normal
        String owner = owners.putIfAbsent(path, spec.name());
        if (owner != null && !owner.equals(spec.name())) {
            LOG.warn("processes '{}' and '{}' both log to {}; '{}' writes no file there", owner, spec.name(), path,
                    spec.name());
            return null;
        }
        if (closed) {
            return null;
        }
        RotatingLogFile file = open.get(path);
        if (file == null) {
            Object lock = rotationLocks.computeIfAbsent(spec.name(), n -> new Object());
            file = new RotatingLogFile(path, s.maxFileSize(), s.maxFiles(), s.gzip(), lock, compressor(),
                    e -> failed(spec.name(), path, e), () -> enforceCap(spec, dir), this::flushLater);
            open.put(path, file);
        }
        return file;
    }

    /** {@code dir} made absolute and normal, once per directory. Under the lock. */
    private Path absolute(Path dir) {
        Path abs = absoluteDirectories.get(dir);
        if (abs == null) {
            abs = dir.toAbsolutePath().normalize();
            absoluteDirectories.put(dir, abs);
        }
        return abs;
    }

    /**
     * The front that a reader on a shared thread (the native path's one loop) writes {@code file}
     * through: it buffers there, and the file is written on this supervisor's files thread.
     */
    synchronized AsyncLogFile frontOf(RotatingLogFile file) {
        return fronts.computeIfAbsent(file, f -> new AsyncLogFile(f, this::writeLater, this::flushLater));
    }

    /** Hands every front's buffered lines to the files thread, before a truncation, reopen or close. Under the lock. */
    private void handOffFronts(java.util.function.Predicate<RotatingLogFile> which) {
        fronts.forEach((file, front) -> {
            if (which.test(file)) {
                front.flush();
            }
        });
    }

    /** Runs a file's timed flush on the scheduler; at once when the scheduler is closed, so no line waits forever. */
    private void flushLater(Runnable flush) {
        if (engine.schedule(flush, RotatingLogFile.FLUSH_INTERVAL).isCancelled()) {
            flush.run();
        }
    }

    /** One background thread for gzip, started when a rotated file needs it, ended after 30 s idle. */
    private java.util.concurrent.Executor compressor() {
        if (compressor == null) {
            java.util.concurrent.ThreadPoolExecutor gzip = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30,
                    java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                    Engine.daemonThreads("tspm-" + engine.name + "-gzip"));
            gzip.allowCoreThreadTimeOut(true); // idle after a rotation: the thread ends
            compressor = gzip;
        }
        return compressor;
    }

    /**
     * Runs a file write off the thread that read the lines, in the order given: one thread for the
     * supervisor, started with the first write, ended after 30 s idle. At once when closed.
     */
    void writeLater(Runnable write) {
        java.util.concurrent.Executor w;
        synchronized (this) {
            if (writer == null && !closed) {
                writer = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30, java.util.concurrent.TimeUnit.SECONDS,
                        new java.util.concurrent.LinkedBlockingQueue<>(), Engine.daemonThreads("tspm-" + engine.name
                                + "-files"));
                writer.allowCoreThreadTimeOut(true);
            }
            w = writer;
        }
        try {
            if (w != null) {
                w.execute(write);
                return;
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
        write.run(); // RotatingLogFile counts what a closed file could not take
    }

    /** Waits (outside the lock: a write may call back into it) until the writes handed over so far are done. */
    private void awaitWrites(boolean last) {
        java.util.concurrent.ThreadPoolExecutor w;
        synchronized (this) {
            w = writer;
        }
        if (w == null) {
            return;
        }
        try {
            if (last) {
                w.shutdown();
                w.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                java.util.concurrent.CompletableFuture.runAsync(() -> { }, w).get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("log file writes still pending after 10 s: {}", e.toString());
        }
    }

    /** Closes and forgets the files of a removed process, so a process added later starts afresh. */
    void forget(String processName) {
        Map<RotatingLogFile, java.util.concurrent.CompletableFuture<Void>> closing = new LinkedHashMap<>();
        synchronized (this) {
            owners.entrySet().removeIf(e -> {
                if (e.getValue().equals(processName)) {
                    RotatingLogFile f = open.remove(e.getKey());
                    if (f != null) {
                        AsyncLogFile front = fronts.remove(f);
                        closing.put(f, front == null ? null : front.flush());
                    }
                    return true;
                }
                return false;
            });
            rotationLocks.remove(processName);
        }
        // Outside the lock: the files thread may need it while it writes a front's last lines.
        closing.forEach((file, lastLines) -> {
            if (lastLines != null) {
                try {
                    lastLines.get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.warn("log file {} still being written after 10 s; closing it", file.path());
                }
            }
            file.close();
        });
    }

    private void failed(String process, Path file, IOException e) {
        LOG.warn("cannot write log file {} of process '{}': {}", file, process, e.toString());
        engine.publish(new LogWriteFailed(engine.now(), process, file, e.toString()));
    }

    /** Deletes the oldest rotated files of the process while its files take more than the cap. */
    private void enforceCap(ProcessSpec spec, Path dir) {
        long cap = spec.logs().maxTotalSize();
        if (cap == 0) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, spec.name() + "*.log*")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            return;
        }
        java.util.regex.Pattern mine = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(spec.name())
                + (spec.logs().mergeInstances() ? "" : "-\\d+") + "\\.(out\\.log|err\\.log|log)(\\.\\d+(\\.gz)?)?");
        files.removeIf(p -> !mine.matcher(p.getFileName().toString()).matches());
        long total = 0;
        for (Path p : files) {
            total += sizeOf(p);
        }
        // Oldest first: rotated files by descending index; the live .log files are never deleted.
        files.removeIf(p -> p.getFileName().toString().endsWith(".log"));
        files.sort(Comparator.comparingInt(LogFiles::rotationIndex).reversed());
        for (Path p : files) {
            if (total <= cap) {
                break;
            }
            long sz = sizeOf(p);
            try {
                Files.deleteIfExists(p);
                total -= sz;
            } catch (IOException e) {
                LOG.warn("cannot delete rotated log {}: {}", p, e.toString());
            }
        }
    }

    private static int rotationIndex(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        int dot = n.lastIndexOf('.');
        try {
            return Integer.parseInt(n.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    void truncateAll() {
        synchronized (this) {
            handOffFronts(f -> true);
        }
        awaitWrites(false); // what was read before the call goes before the truncation
        synchronized (this) {
            open.values().forEach(RotatingLogFile::truncate);
        }
    }

    /** Empties the open files of one process; those of others, and rotated files, stay. */
    void truncate(String processName) {
        synchronized (this) {
            handOffFronts(f -> processName.equals(owners.get(f.path())));
        }
        awaitWrites(false); // what was read before the call goes before the truncation
        synchronized (this) {
            owners.forEach((path, owner) -> {
                RotatingLogFile f = owner.equals(processName) ? open.get(path) : null;
                if (f != null) {
                    f.truncate();
                }
            });
        }
    }

    void reopenAll() {
        synchronized (this) {
            handOffFronts(f -> true);
        }
        awaitWrites(false);
        synchronized (this) {
            open.values().forEach(RotatingLogFile::reopen);
        }
    }

    void closeAll() {
        synchronized (this) {
            handOffFronts(f -> true);
            closed = true; // no new writer thread; writes after this run at once, into closed files
        }
        awaitWrites(true);
        synchronized (this) {
            closeFiles();
        }
    }

    private void closeFiles() {
        open.values().forEach(RotatingLogFile::close);
        if (compressor != null) {
            compressor.shutdown();
            try {
                compressor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
