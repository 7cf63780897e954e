package io.tspm;

/** Which output stream of a child a line came from. */
public enum OutputStreamKind {
    STDOUT,
    STDERR;

    /** {@code "out"} or {@code "err"}, as in log file names and JSON lines. */
    public String shortName() {
        return this == STDOUT ? "out" : "err";
    }
}
