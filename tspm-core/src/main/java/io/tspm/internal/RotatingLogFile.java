package io.tspm.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * One log file, rotated by size: a line that would take the file past its maximum goes to a fresh
 * file after the current one moved to {@code name.1} (older ones shift up, the oldest past
 * {@code keep} is deleted; optionally gzipped), so a line is never split across files. Writes come
 * whole lines at a time from the pump threads (several, for a file shared by merged instances).
 * A write that fails (a full disk) is reported once; later lines are retried after a pause and
 * counted as unwritten meanwhile, and the child never waits on a broken disk.
 */
final class RotatingLogFile {

    private static final long RETRY_NANOS = 2_000_000_000L;

    private final Path path;
    private final long maxSize;
    private final int keep;
    private final boolean gzip;
    private final Consumer<IOException> onFailure;
    private final Runnable afterRotation;
    private OutputStream out;
    private long size;
    private boolean failing;
    private long failedAt;

    RotatingLogFile(Path path, long maxSize, int keep, boolean gzip, Consumer<IOException> onFailure,
            Runnable afterRotation) {
        this.path = path;
        this.maxSize = maxSize;
        this.keep = keep;
        this.gzip = gzip;
        this.onFailure = onFailure;
        this.afterRotation = afterRotation;
    }

    Path path() {
        return path;
    }

    /** Writes one whole line (its bytes end with '\n'); false when it could not be written. */
    synchronized boolean write(byte[] line, int len) {
        if (out == null && !open()) {
            return false;
        }
        try {
            if (size > 0 && size + len > maxSize) {
                rotate();
            }
            out.write(line, 0, len);
            size += len;
            failing = false;
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    /** Pushes buffered lines to the file (after each chunk read from the child). */
    synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    /** Empties the file (PM2's {@code flush}); rotated files stay. */
    synchronized void truncate() {
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
        closeQuietly();
        open();
    }

    synchronized void close() {
        closeQuietly();
    }

    private boolean open() {
        if (failing && System.nanoTime() - failedAt < RETRY_NANOS) {
            return false;
        }
        try {
            Files.createDirectories(path.getParent());
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
                // Existing files keep their mode; a non-POSIX file system has none.
            }
            out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), 64 * 1024);
            size = Files.size(path);
            failing = false;
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    private void fail(IOException e) {
        closeQuietly();
        if (!failing) {
            failing = true;
            onFailure.accept(e);
        }
        failedAt = System.nanoTime();
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // What could be flushed was; the next open starts clean.
            }
            out = null;
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
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
                compress(first, rotated(1, true));
            }
        }
        afterRotation.run();
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
            if (Files.exists(src)) {
                Files.move(src, rotated(to, gz), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Compresses {@code src} to {@code dst} through a temporary file, then deletes {@code src}. */
    private static void compress(Path src, Path dst) throws IOException {
        Path tmp = dst.resolveSibling(dst.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(src);
                OutputStream z = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
            in.transferTo(z);
        }
        Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(src);
    }
}
