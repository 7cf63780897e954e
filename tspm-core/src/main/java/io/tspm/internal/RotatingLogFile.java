package io.tspm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * One log file, rotated by size: a line that would take the file past its maximum goes to a fresh
 * file after the current one moved to {@code name.1} (older ones shift up, the oldest past
 * {@code keep} is deleted), so a line is never split across files. Rotated files are gzipped in the
 * background when asked, so the child never waits for compression. Writes come whole lines at a
 * time from the pump threads (several, for a file shared by merged instances).
 *
 * <p>Lines are gathered in a buffer that grows with the traffic (up to {@value #MAX_BUFFER} bytes)
 * and written out when it is full, {@link #FLUSH_INTERVAL} after the first line it took (on the
 * supervisor's scheduler), and before a rotation, a reopen, a truncation and the close; a reader
 * of a child's output calls {@link #flush} when the stream ends, so the last lines of a child that
 * died are in the file once its output was read to the end. A quiet file gives its buffer back.
 *
 * <p>A write or flush that fails (a full disk) is reported once per failure spell; lines that were
 * buffered then, and lines written while failing, are counted as unwritten; the file is retried
 * after a pause. The child never waits on a broken disk.
 *
 * <p>Files are mode 0640 whatever the umask or an earlier version left (set at every open, on the
 * rotated files found at the first open, and on each gzipped file), and the directories created
 * for them 0750, so an upgrade never leaves logs world-readable.
 */
final class RotatingLogFile {

    /** The longest a line waits in the buffer (for {@code tail -f} and readers of the file). */
    static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofMillis(100);
    /** A file's buffer starts at this, and is given back when a timed flush finds less than this. */
    private static final int INITIAL_BUFFER = 8 * 1024;
    /** Busy files write in blocks this large; 1,000 busy children hold 2 each, so not more. */
    private static final int MAX_BUFFER = 64 * 1024;
    private static final long RETRY_NANOS = 2_000_000_000L;
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RotatingLogFile.class);

    private final Path path;
    private final long maxSize;
    private final int keep;
    private final boolean gzip;
    private final Object rotationLock;
    private final Executor compressor;
    private final Consumer<IOException> onFailure;
    private final Runnable afterRotation;
    private final Consumer<Runnable> flushLater;
    private OutputStream out;
    private long size;
    /** Bytes waiting in {@link #buf}, and how many lines they are. */
    private byte[] buf;
    private int count;
    private int buffered;
    /** Lines a timed flush lost, told to the next writer that calls in. */
    private int lost;
    private boolean flushArmed;
    private final Runnable timedFlush = this::timedFlush;
    private boolean failing;
    private long failedAt;
    private boolean closed;
    private boolean opened;
    private boolean modeWarned;
    private CompletableFuture<Void> compressing = CompletableFuture.completedFuture(null);

    /**
     * @param rotationLock shared by the files of one process, so rotations and the cap on the
     *                     process's disk use never interleave
     * @param flushLater   runs a task {@link #FLUSH_INTERVAL} from now (the supervisor's scheduler)
     */
    RotatingLogFile(Path path, long maxSize, int keep, boolean gzip, Object rotationLock, Executor compressor,
            Consumer<IOException> onFailure, Runnable afterRotation, Consumer<Runnable> flushLater) {
        this.path = path;
        this.maxSize = maxSize;
        this.keep = keep;
        this.gzip = gzip;
        this.rotationLock = rotationLock;
        this.compressor = compressor;
        this.onFailure = onFailure;
        this.afterRotation = afterRotation;
        this.flushLater = flushLater;
    }

    Path path() {
        return path;
    }

    /** Writes one whole line (its bytes end with '\n'); see {@link #write(byte[], int, int, int)}. */
    int write(byte[] line, int off, int len) {
        return write(line, off, len, 1);
    }

    /**
     * Writes {@code lines} whole lines (each ends with '\n') to the buffer. Returns how many lines
     * did not make it: 0, or these and those a failure lost from the buffer (here or in a timed flush).
     */
    int write(byte[] block, int off, int len, int lines) {
        int failed;
        synchronized (this) {
            failed = put(block, off, len, lines, false);
            if (flushArmed || count == 0) { // nothing waits (or the file is closed or failing)
                return failed;
            }
            flushArmed = true;
        }
        flushLater.accept(timedFlush); // outside the lock: the scheduler takes its own
        return failed;
    }

    /**
     * Writes {@code lines} whole lines to the file now, after what the buffer holds, in as few
     * calls as a rotation allows: for a caller that buffers itself ({@link AsyncLogFile}). Returns
     * how many lines did not make it, as {@link #write(byte[], int, int, int)} does.
     */
    synchronized int writeThrough(byte[] block, int off, int len, int lines) {
        return put(block, off, len, lines, true);
    }

    /** Under the lock: the lines into the buffer, or ({@code through}) out to the file. Returns the lines lost. */
    private int put(byte[] block, int off, int len, int lines, boolean through) {
        int failed = lost;
        lost = 0;
        if (closed || out == null && !open()) {
            return failed + lines;
        }
        int done = 0;
        try {
            if (through) {
                flushOrThrow();
            }
            if (size + len > maxSize && (size > 0 || lines > 1)) {
                // A rotation falls inside: line by line, so no line is split across files.
                int start = off;
                for (int i = off; i < off + len; i++) {
                    if (block[i] == '\n') {
                        writeLine(block, start, i + 1 - start);
                        done++;
                        start = i + 1;
                    }
                }
                if (through) {
                    flushOrThrow();
                }
            } else if (through) {
                out.write(block, off, len);
                size += len;
                failing = false;
            } else {
                if (append(block, off, len)) {
                    buffered += lines;
                }
                size += len;
            }
            return failed;
        } catch (IOException e) {
            return failed + lines - done + fail(e);
        }
    }

    private void writeLine(byte[] line, int off, int len) throws IOException {
        if (size > 0 && size + len > maxSize) {
            flushOrThrow();
            rotate();
        }
        if (append(line, off, len)) {
            buffered++;
        }
        size += len;
    }

    /** Returns whether the line waits in the buffer (false: it was written at once). */
    private boolean append(byte[] line, int off, int len) throws IOException {
        if (buf == null) {
            buf = new byte[Math.min(MAX_BUFFER, Math.max(INITIAL_BUFFER, len))];
        }
        if (count + len > buf.length) {
            int grown = Math.min(MAX_BUFFER, Math.max(2 * buf.length, count + len));
            if (count + len <= grown) {
                buf = java.util.Arrays.copyOf(buf, grown); // busy: fewer, larger writes
            } else {
                writeBuffer();
                buffered = 0;
                if (len > buf.length) {
                    out.write(line, off, len);
                    return false;
                }
            }
        }
        System.arraycopy(line, off, buf, count, len);
        count += len;
        return true;
    }

    private void writeBuffer() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
            failing = false; // only what reached the file ends a failure spell
        }
    }

    /** Pushes buffered lines to the file; returns how many lines were lost to a failure. */
    synchronized int flush() {
        int failed = lost;
        lost = 0;
        if (out == null) {
            return failed;
        }
        try {
            flushOrThrow();
            return failed;
        } catch (IOException e) {
            return failed + fail(e);
        }
    }

    /** {@link #FLUSH_INTERVAL} after a line came into an empty buffer. */
    private synchronized void timedFlush() {
        flushArmed = false;
        if (out == null || count == 0) {
            return;
        }
        boolean quiet = count < INITIAL_BUFFER;
        try {
            flushOrThrow();
        } catch (IOException e) {
            lost += fail(e);
        }
        if (quiet) {
            buf = null; // 1,000 quiet children must not hold a buffer each
        }
    }

    private void flushOrThrow() throws IOException {
        writeBuffer();
        buffered = 0;
    }

    /** Empties the file (PM2's {@code flush}); rotated files stay. */
    synchronized void truncate() {
        if (closed) {
            return;
        }
        flush();
        closeQuietly();
        try {
            if (Files.exists(path)) {
                Files.newOutputStream(path, StandardOpenOption.TRUNCATE_EXISTING).close();
            }
        } catch (IOException e) {
            fail(e);
        }
        open();
    }

    /** Closes and opens the file again by name (after an outside tool moved it: PM2's {@code reloadLogs}). */
    synchronized void reopen() {
        if (closed) {
            return;
        }
        flush();
        closeQuietly();
        open();
    }

    /** Flushes and closes for good: later writes are refused. */
    synchronized void close() {
        if (!closed) {
            flush();
            closeQuietly();
            closed = true;
        }
    }

    private boolean open() {
        if (failing && System.nanoTime() - failedAt < RETRY_NANOS) {
            return false;
        }
        try {
            createDirectories(path.getParent());
            createWithMode(path);
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND); // buffered here
            size = Files.size(path);
            setMode(path);
            if (!opened) {
                opened = true;
                for (int i = 1; i <= keep; i++) { // left by an earlier run, maybe with another mode
                    for (boolean gz : new boolean[] {false, true}) {
                        if (Files.exists(rotated(i, gz))) {
                            setMode(rotated(i, gz));
                        }
                    }
                }
            }
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    /** Reports a failure (once per spell); returns the buffered lines it lost. */
    private int fail(IOException e) {
        int lostHere = buffered;
        buffered = 0;
        count = 0;
        if (out != null) {
            try {
                out.close(); // may fail again on the same buffered bytes: they are counted as lost
            } catch (IOException ignored) {
                // counted above
            }
            out = null;
        }
        if (!failing) {
            failing = true;
            onFailure.accept(e);
        }
        failedAt = System.nanoTime();
        return lostHere;
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // flushed before, or counted by the failed flush
            }
            out = null;
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        synchronized (rotationLock) {
            compressing.join(); // the previous compression of this file owns name.1 until it is done
            if (keep == 0) {
                Files.deleteIfExists(path);
            } else {
                deleteRotated(keep);
                for (int i = keep - 1; i >= 1; i--) {
                    moveRotated(i, i + 1);
                }
                Path first = rotated(1, false);
                Files.move(path, first, StandardCopyOption.REPLACE_EXISTING);
                if (gzip) {
                    compressing = CompletableFuture.runAsync(() -> compress(first, rotated(1, true)), compressor);
                }
            }
            afterRotation.run();
        }
        if (!open()) {
            throw new IOException("cannot reopen " + path + " after rotation");
        }
    }

    private Path rotated(int i, boolean gz) {
        return path.resolveSibling(path.getFileName() + "." + i + (gz ? ".gz" : ""));
    }

    private void deleteRotated(int i) throws IOException {
        Files.deleteIfExists(rotated(i, false));
        Files.deleteIfExists(rotated(i, true));
    }

    private void moveRotated(int from, int to) throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path src = rotated(from, gz);
            try {
                Files.move(src, rotated(to, gz), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException absent) {
                // not every index exists
            }
        }
    }

    /**
     * Compresses {@code src} to {@code dst} (mode 0640) through a temporary file, then deletes
     * {@code src}. On failure the uncompressed file stays: nothing is lost.
     */
    private static void compress(Path src, Path dst) {
        Path tmp = dst.resolveSibling(dst.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            createWithMode(tmp);
            try {
                Files.setPosixFilePermissions(tmp, MODE); // the umask may have taken bits from the new file
            } catch (UnsupportedOperationException noPosix) {
                // a file system without modes
            }
            try (InputStream in = Files.newInputStream(src);
                    OutputStream z = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
                in.transferTo(z);
            }
            Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(src);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            LOG.warn("cannot gzip rotated log {}; it stays uncompressed: {}", src, e.toString());
        }
    }

    /** Sets 0640; a file this user may write but not chmod (another owner's) is said once, and used as it is. */
    private void setMode(Path p) {
        try {
            Files.setPosixFilePermissions(p, MODE);
        } catch (UnsupportedOperationException noPosix) {
            // a file system without modes
        } catch (IOException e) {
            if (!modeWarned) {
                modeWarned = true;
                LOG.warn("cannot set mode 0640 on log file {}: {}", p, e.toString());
            }
        }
    }

    /** Like {@link Files#createDirectories}, but each directory it creates is 0750 whatever the umask. */
    private static void createDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        } catch (FileAlreadyExistsException raced) {
            // made meanwhile by another file of the same directory: its creator set the mode
        } catch (UnsupportedOperationException noPosix) {
            Files.createDirectories(dir);
        }
    }

    private static void createWithMode(Path p) throws IOException {
        try {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(MODE);
            Files.createFile(p, mode);
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // An existing file gets its mode at open; a non-POSIX file system has none.
        }
    }
}
