package io.tspm.spi;

/**
 * A setting of a {@link ProbeType} or {@link LoadBalancerType} that is missing or wrong: it names
 * the key and what was expected, and configuration adds the file, line and column.
 */
public class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String key;
    private final String expected;

    /**
     * An error about {@code key} under {@code path}.
     *
     * @param path     where the settings are ({@code processes[0].readinessProbe})
     * @param key      the key at fault
     * @param expected what it must be ({@code "a URL such as http://127.0.0.1:{port}/health"})
     */
    public InvalidSettingException(String path, String key, String expected) {
        super(path + "." + key + " must be " + expected);
        this.path = path;
        this.key = key;
        this.expected = expected;
    }

    /** Where the settings are. */
    public String path() {
        return path;
    }

    /** The key at fault. */
    public String key() {
        return key;
    }

    /** What it must be. */
    public String expected() {
        return expected;
    }
}
