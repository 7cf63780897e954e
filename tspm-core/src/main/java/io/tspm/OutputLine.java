package io.tspm;

import java.time.Instant;

/**
 * One line a child printed, without its line terminator. Bytes that are not UTF-8 are U+FFFD; a
 * line longer than {@link LogSettings#maxLineLength()} arrives as several lines.
 *
 * @param time     when the supervisor read it, by the supervisor's clock
 * @param process  the process name
 * @param instanceId the instance id
 * @param pid      the OS process that printed it
 * @param stream   stdout or stderr (stdout for a merged stream)
 * @param text     the line
 */
public record OutputLine(Instant time, String process, int instanceId, long pid, OutputStreamKind stream,
        String text) {
}
