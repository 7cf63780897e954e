package io.tspm.config;

/**
 * The {@code metrics:} section: whether the runner serves {@code /metrics}, and whether each
 * instance gets a file (its path in {@link #TEXTFILE_VAR}) whose Prometheus text is included.
 *
 * @param enabled   serve {@code /metrics} (default true)
 * @param textfiles give each instance a metrics file (default true)
 */
public record MetricsSettings(boolean enabled, boolean textfiles) {

    /** The variable that holds an instance's metrics file. */
    public static final String TEXTFILE_VAR = "TSPM_METRICS_FILE";

    /** Served, with text files. */
    public static final MetricsSettings DEFAULTS = new MetricsSettings(true, true);
}
