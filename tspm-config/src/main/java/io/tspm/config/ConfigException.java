package io.tspm.config;

import io.tspm.TspmException;
import java.util.List;

/**
 * A configuration that cannot be loaded: every problem found in it, each with its file, line,
 * column and key path. The message lists them all.
 */
public class ConfigException extends TspmException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /** An exception for {@code problems} (at least one) in {@code source}. */
    public ConfigException(String source, List<ConfigProblem> problems) {
        super(message(source, problems));
        this.problems = List.copyOf(problems);
    }

    /** An exception for a source that could not be read at all. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    private static String message(String source, List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in ").append(source);
        for (ConfigProblem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }

    /** Every problem, in the order of the file. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
