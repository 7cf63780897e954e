package io.tspm.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A log file could not be written (a full disk, a removed directory). The process keeps running;
 * lines for that file are counted as unwritten until a retry succeeds. Sent once per failure spell.
 *
 * @param file  the file that could not be written
 * @param error what the write threw, in words
 */
public record LogWriteFailed(Instant time, String process, Path file, String error) implements SupervisorEvent {
}
