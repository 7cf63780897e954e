package io.tspm.spi;

import java.util.Objects;

/**
 * One key a {@link ProbeType} or {@link LoadBalancerType} reads from its settings: its name, the
 * kind of value it takes and a line saying what it means. Configuration uses these to reject an
 * unknown key with a suggestion, and to describe the type in the JSON Schema.
 *
 * @param name        the key as a file writes it, camelCase ({@code expectBody})
 * @param kind        the kind of value
 * @param description what the value means, with its default
 */
public record SettingKey(String name, Kind kind, String description) {

    /** The kinds of value a setting takes. */
    public enum Kind {
        /** A string. */
        STRING,
        /** A whole number. */
        INTEGER,
        /** A number, whole or not. */
        NUMBER,
        /** true or false. */
        BOOLEAN,
        /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a number of milliseconds. */
        DURATION,
        /** A port number or a template such as <code>{port}</code>. */
        PORT,
        /** A list of strings (a single string is a list of one). */
        STRINGS,
        /** A mapping of strings to strings. */
        STRING_MAP,
        /** A list of probe settings, each with its own {@code type}. */
        PROBES
    }

    /** Checks the three. */
    public SettingKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind of " + name);
        Objects.requireNonNull(description, "description of " + name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("setting key name must not be blank, but was '" + name + "'");
        }
    }

    /** A key of {@code kind}. */
    public static SettingKey of(String name, Kind kind, String description) {
        return new SettingKey(name, kind, description);
    }
}
