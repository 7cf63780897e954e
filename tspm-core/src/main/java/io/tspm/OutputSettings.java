package io.tspm;

import java.util.Objects;

/**
 * Whether a process's output is read, through how many pipes, and where it goes.
 *
 * @param capture     whether stdout and stderr are read (to files, SLF4J, the ring, listeners);
 *                    false sends them to /dev/null and holds no pipe (default true)
 * @param mergeStderr whether stderr is merged into stdout: one pipe and one reader, and the exact
 *                    order of both streams (default false)
 * @param logs        where the lines go
 */
public record OutputSettings(boolean capture, boolean mergeStderr, LogSettings logs) {

    /** Captured, two pipes, {@link LogSettings#defaults()}. */
    public static final OutputSettings DEFAULTS = new OutputSettings(true, false, LogSettings.defaults());

    /** Checks the log settings. */
    public OutputSettings {
        Objects.requireNonNull(logs, "logs");
    }

    public OutputSettings withCapture(boolean capture) {
        return new OutputSettings(capture, mergeStderr, logs);
    }

    public OutputSettings withMergeStderr(boolean mergeStderr) {
        return new OutputSettings(capture, mergeStderr, logs);
    }

    public OutputSettings withLogs(LogSettings logs) {
        return new OutputSettings(capture, mergeStderr, logs);
    }

    @Override
    public String toString() {
        return "OutputSettings{" + (capture ? "" : "not captured, ") + (mergeStderr ? "stderr merged, " : "") + logs
                + "}";
    }
}
