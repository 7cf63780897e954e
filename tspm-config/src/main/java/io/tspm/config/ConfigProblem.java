package io.tspm.config;

import java.util.Objects;

/**
 * One error or warning of a configuration file: where it is and what is wrong, as
 * {@code tspm.yaml:5:16: processes[0].instances: expected a whole number ..., but was 'four' (a string)}.
 *
 * @param source  the file (or the label of a string) it is in
 * @param line    1-based line
 * @param column  1-based column
 * @param path    the key path ({@code processes[1].healthCheck.interval}); empty at the top
 * @param message what is wrong and what was expected, values of secret-looking keys masked
 */
public record ConfigProblem(String source, int line, int column, String path, String message) {

    /** Checks the parts. */
    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column: path: message}. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
