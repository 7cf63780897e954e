package io.tspm;

/**
 * Receives the lines of an instance's output, in order, on the supervisor's output thread, after
 * they were written to the log files. A listener that cannot keep up never slows the child: lines
 * are buffered up to a bound, then dropped and counted ({@link OutputStats#droppedLines()}).
 */
@FunctionalInterface
public interface LineListener {

    /** Receives one line. A listener that throws is logged at WARN and keeps receiving lines. */
    void onLine(OutputLine line);
}
