package io.tspm.config.internal;

/**
 * How much of a document the readers accept, so hostile input ends in an error instead of an
 * out-of-memory or a stack overflow.
 *
 * @param maxChars   the longest document, in characters
 * @param maxDepth   the deepest nesting
 * @param maxNodes   the most values, aliases expanded
 * @param maxAliases the most YAML aliases
 */
public record Limits(int maxChars, int maxDepth, int maxNodes, int maxAliases) {

    /**
     * 4 Mi characters, 64 levels, a million values, 100 aliases: far beyond any real file (1,000
     * processes take about 200 KB), and small enough that no parser is kept busy for long.
     */
    public static final Limits DEFAULTS = new Limits(4 * 1024 * 1024, 64, 1_000_000, 100);
}
