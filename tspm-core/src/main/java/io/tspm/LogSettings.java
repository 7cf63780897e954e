package io.tspm;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * Where the lines of a process's output go, besides the in-memory ring and the line listeners.
 * Immutable; {@link #builder()} or {@link #defaults()}; set on a process with
 * {@link ProcessSpec.Builder#logs(LogSettings)}.
 *
 * <ul>
 *   <li><b>Files</b> in the process's {@link #directory() directory}, or else the supervisor's
 *       {@linkplain Supervisor.Builder#logDirectory(Path) log directory}; none when neither is set.
 *       Per instance ({@code web-0.out.log}, {@code web-0.err.log}) or merged per process
 *       ({@code web.out.log}, PM2's {@code merge_logs}); stdout and stderr apart or in one
 *       {@code .log}. Each line optionally prefixed with a timestamp, or written as a JSON object
 *       {@code {"time","process","instance","stream","message"}}. Rotated by size (default 10 MiB,
 *       keep 5, optionally gzipped), never splitting or losing a line, with an optional cap on the
 *       disk the process's files take. Created with mode 0640.</li>
 *   <li><b>SLF4J</b>: a logger named {@code tspm.<process>}, stdout at INFO and stderr at WARN by
 *       default, the instance id in the MDC under {@value #MDC_INSTANCE}.</li>
 * </ul>
 */
public final class LogSettings {

    /** The MDC key that holds the instance id while a line is logged through SLF4J. */
    public static final String MDC_INSTANCE = "tspm.instance";
    /** The MDC key that holds the process name. */
    public static final String MDC_PROCESS = "tspm.process";
    /** The default line prefix pattern, ISO-8601 with millis and offset: {@code 2025-01-31T09:30:00.123+01:00}. */
    public static final String DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private static final LogSettings DEFAULTS = new Builder().build();

    private final boolean files;
    private final Path directory;
    private final boolean mergeInstances;
    private final boolean combineStreams;
    private final String timestampFormat;
    private final boolean json;
    private final long maxFileSize;
    private final int maxFiles;
    private final boolean gzip;
    private final long maxTotalSize;
    private final Level stdoutLevel;
    private final Level stderrLevel;
    private final int recentLines;
    private final int maxLineLength;

    private LogSettings(Builder b) {
        this.files = b.files;
        this.directory = b.directory;
        this.mergeInstances = b.mergeInstances;
        this.combineStreams = b.combineStreams;
        this.timestampFormat = b.timestampFormat;
        this.json = b.json;
        this.maxFileSize = b.maxFileSize;
        this.maxFiles = b.maxFiles;
        this.gzip = b.gzip;
        this.maxTotalSize = b.maxTotalSize;
        this.stdoutLevel = b.stdoutLevel;
        this.stderrLevel = b.stderrLevel;
        this.recentLines = b.recentLines;
        this.maxLineLength = b.maxLineLength;
    }

    /**
     * Files (where a directory is known) per instance and stream, timestamped, rotated at 10 MiB
     * with 5 rotated files kept; stdout to SLF4J at INFO, stderr at WARN; 1000 recent lines in
     * memory.
     */
    public static LogSettings defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.files = files;
        b.directory = directory;
        b.mergeInstances = mergeInstances;
        b.combineStreams = combineStreams;
        b.timestampFormat = timestampFormat;
        b.json = json;
        b.maxFileSize = maxFileSize;
        b.maxFiles = maxFiles;
        b.gzip = gzip;
        b.maxTotalSize = maxTotalSize;
        b.stdoutLevel = stdoutLevel;
        b.stderrLevel = stderrLevel;
        b.recentLines = recentLines;
        b.maxLineLength = maxLineLength;
        return b;
    }

    /** Whether lines go to files (when a directory is known). */
    public boolean files() {
        return files;
    }

    /** This process's log directory; empty means the supervisor's. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Whether all instances share one set of files (PM2's {@code merge_logs}). */
    public boolean mergeInstances() {
        return mergeInstances;
    }

    /** Whether stdout and stderr go to one {@code .log} file. */
    public boolean combineStreams() {
        return combineStreams;
    }

    /** The {@link DateTimeFormatter} pattern of the line prefix; empty for none. */
    public Optional<String> timestampFormat() {
        return Optional.ofNullable(timestampFormat);
    }

    /** Whether each line is written as a JSON object instead of text. */
    public boolean json() {
        return json;
    }

    /** The size in bytes at which a file is rotated. */
    public long maxFileSize() {
        return maxFileSize;
    }

    /** How many rotated files are kept besides the current one. */
    public int maxFiles() {
        return maxFiles;
    }

    /** Whether rotated files are gzipped. */
    public boolean gzip() {
        return gzip;
    }

    /** The most disk all of the process's log files may take; 0 for no cap beyond maxFiles. */
    public long maxTotalSize() {
        return maxTotalSize;
    }

    /** The SLF4J level of stdout lines; empty when stdout is not logged through SLF4J. */
    public Optional<Level> stdoutLevel() {
        return Optional.ofNullable(stdoutLevel);
    }

    /** The SLF4J level of stderr lines; empty when stderr is not logged through SLF4J. */
    public Optional<Level> stderrLevel() {
        return Optional.ofNullable(stderrLevel);
    }

    /** How many lines each instance keeps in memory ({@link ProcessInstance#recentOutput(int)}). */
    public int recentLines() {
        return recentLines;
    }

    /** Lines longer than this many bytes are split. */
    public int maxLineLength() {
        return maxLineLength;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LogSettings)) {
            return false;
        }
        LogSettings l = (LogSettings) o;
        return files == l.files && java.util.Objects.equals(directory, l.directory) && mergeInstances == l.mergeInstances
                && combineStreams == l.combineStreams && java.util.Objects.equals(timestampFormat, l.timestampFormat)
                && json == l.json && maxFileSize == l.maxFileSize && maxFiles == l.maxFiles && gzip == l.gzip
                && maxTotalSize == l.maxTotalSize && stdoutLevel == l.stdoutLevel && stderrLevel == l.stderrLevel
                && recentLines == l.recentLines && maxLineLength == l.maxLineLength;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(files, directory, mergeInstances, combineStreams, timestampFormat, json,
                maxFileSize, maxFiles, gzip, maxTotalSize, stdoutLevel, stderrLevel, recentLines, maxLineLength);
    }

    /** The settings that differ from {@link #defaults()}: {@code LogSettings{maxFileSize=1 MiB, gzip}}. */
    @Override
    public String toString() {
        LogSettings d = DEFAULTS == null ? this : DEFAULTS;
        java.util.List<String> set = new java.util.ArrayList<>();
        if (files != d.files) {
            set.add("files=" + files);
        }
        if (directory != null) {
            set.add("directory=" + directory);
        }
        if (mergeInstances) {
            set.add("mergeInstances");
        }
        if (combineStreams) {
            set.add("combineStreams");
        }
        if (!java.util.Objects.equals(timestampFormat, d.timestampFormat)) {
            set.add(timestampFormat == null ? "noTimestamps" : "timestampFormat='" + timestampFormat + "'");
        }
        if (json) {
            set.add("json");
        }
        if (maxFileSize != d.maxFileSize) {
            set.add("maxFileSize=" + Human.bytes(maxFileSize));
        }
        if (maxFiles != d.maxFiles) {
            set.add("maxFiles=" + maxFiles);
        }
        if (gzip) {
            set.add("gzip");
        }
        if (maxTotalSize != d.maxTotalSize) {
            set.add("maxTotalSize=" + Human.bytes(maxTotalSize));
        }
        if (stdoutLevel != d.stdoutLevel) {
            set.add("stdoutLevel=" + stdoutLevel);
        }
        if (stderrLevel != d.stderrLevel) {
            set.add("stderrLevel=" + stderrLevel);
        }
        if (recentLines != d.recentLines) {
            set.add("recentLines=" + recentLines);
        }
        if (maxLineLength != d.maxLineLength) {
            set.add("maxLineLength=" + Human.bytes(maxLineLength));
        }
        return "LogSettings{" + String.join(", ", set) + "}";
    }

    /** Builds {@link LogSettings}; each setter checks its value. */
    public static final class Builder {
        private boolean files = true;
        private Path directory;
        private boolean mergeInstances;
        private boolean combineStreams;
        private String timestampFormat = DEFAULT_TIMESTAMP_FORMAT;
        private boolean json;
        private long maxFileSize = 10L * 1024 * 1024;
        private int maxFiles = 5;
        private boolean gzip;
        private long maxTotalSize;
        private Level stdoutLevel = Level.INFO;
        private Level stderrLevel = Level.WARN;
        private int recentLines = 1000;
        private int maxLineLength = 64 * 1024;

        Builder() {
        }

        /** Whether lines go to files when a directory is known (default true). */
        public Builder files(boolean files) {
            this.files = files;
            return this;
        }

        /** The directory of this process's files (default: the supervisor's log directory). */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** One set of files for all instances, as PM2's {@code merge_logs} (default false). */
        public Builder mergeInstances(boolean merge) {
            this.mergeInstances = merge;
            return this;
        }

        /** stdout and stderr in one {@code .log} file instead of {@code .out.log} and {@code .err.log}. */
        public Builder combineStreams(boolean combine) {
            this.combineStreams = combine;
            return this;
        }

        /** A {@link DateTimeFormatter} pattern for the line prefix (default ISO-8601 with millis and offset). */
        public Builder timestampFormat(String pattern) {
            Objects.requireNonNull(pattern, "timestampFormat");
            try {
                DateTimeFormatter.ofPattern(pattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("timestampFormat must be a DateTimeFormatter pattern, but was '"
                        + pattern + "': " + e.getMessage(), e);
            }
            this.timestampFormat = pattern;
            return this;
        }

        /** No timestamp prefix. */
        public Builder noTimestamps() {
            this.timestampFormat = null;
            return this;
        }

        /** Writes each line as a JSON object instead of text (default false). */
        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        /** Rotates a file before a line would take it past this size, in bytes (default 10 MiB; min 1 KiB). */
        public Builder maxFileSize(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFileSize must be >= 1024 bytes, but was " + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /** How many rotated files to keep, 0..1000 (default 5). */
        public Builder maxFiles(int keep) {
            if (keep < 0 || keep > 1000) {
                throw new IllegalArgumentException("maxFiles must be in 0..1000, but was " + keep);
            }
            this.maxFiles = keep;
            return this;
        }

        /** Compresses rotated files with gzip (default false). */
        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /** Deletes the oldest rotated files while the process's files take more than this (0: no cap). */
        public Builder maxTotalSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxTotalSize must be >= 0, but was " + bytes);
            }
            this.maxTotalSize = bytes;
            return this;
        }

        /** The SLF4J level of stdout lines, or null for none (default INFO). */
        public Builder stdoutLevel(Level level) {
            this.stdoutLevel = level;
            return this;
        }

        /** The SLF4J level of stderr lines, or null for none (default WARN). */
        public Builder stderrLevel(Level level) {
            this.stderrLevel = level;
            return this;
        }

        /** Lines kept in memory per instance, 1..1000000 (default 1000). */
        public Builder recentLines(int lines) {
            if (lines < 1 || lines > 1_000_000) {
                throw new IllegalArgumentException("recentLines must be in 1..1000000, but was " + lines);
            }
            this.recentLines = lines;
            return this;
        }

        /** Lines longer than this many bytes are split, 80..16 MiB (default 64 KiB). */
        public Builder maxLineLength(int bytes) {
            if (bytes < 80 || bytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxLineLength must be in 80..16777216, but was " + bytes);
            }
            this.maxLineLength = bytes;
            return this;
        }

        /** Builds the settings; {@code maxTotalSize} must be 0 or at least {@code maxFileSize}. */
        public LogSettings build() {
            if (maxTotalSize != 0 && maxTotalSize < maxFileSize) {
                throw new IllegalStateException("maxTotalSize (" + maxTotalSize + ") must be 0 or >= maxFileSize ("
                        + maxFileSize + ")");
            }
            return new LogSettings(this);
        }
    }
}
