package io.tspm;

/**
 * Counters of an instance's output since it was created.
 *
 * @param lines            lines read from the child
 * @param bytes            bytes read from the child
 * @param droppedLines     lines that SLF4J or the line listeners did not get, because they fell
 *                         behind by more than the buffer holds (the files and the ring got them)
 * @param unwrittenLines   lines that could not be written to a log file (a full disk, say)
 */
public record OutputStats(long lines, long bytes, long droppedLines, long unwrittenLines) {
}
