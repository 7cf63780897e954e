package io.tspm.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The settings a {@link ProbeType} or {@link LoadBalancerType} is created from: the keys of one
 * mapping of a configuration file (or any other source), read by kind. A value of the wrong kind
 * is reported by the implementation (with its file, line and column) and reads as absent, so a
 * type goes on and every error of a file is reported at once; a missing required value throws
 * {@link InvalidSettingException}. New readers arrive as default methods.
 */
public interface TypeSettings {

    /** Where these settings are, for messages: {@code processes[0].readinessProbe}. */
    String path();

    /** The keys that are set. */
    Set<String> keys();

    /** Whether {@code key} is set. */
    default boolean has(String key) {
        return keys().contains(key);
    }

    /** A string value. */
    Optional<String> string(String key);

    /** A whole number. */
    OptionalInt integer(String key);

    /** A number, whole or not. */
    OptionalDouble number(String key);

    /** true or false. */
    Optional<Boolean> flag(String key);

    /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a number of milliseconds. */
    Optional<Duration> duration(String key);

    /** A port: a number 1..65535, or a template such as <code>{port}</code>, as a string. */
    Optional<String> port(String key);

    /** A list of strings; a single string is a list of one; empty when not set. */
    List<String> strings(String key);

    /** A mapping of strings to strings, in file order; empty when not set. */
    Map<String, String> stringMap(String key);

    /** A list of probes, each created by the type its own {@code type} names; empty when not set. */
    List<Probe> probes(String key);

    /** A string that must be set; throws {@link InvalidSettingException} naming the key when it is not. */
    default String requiredString(String key, String expected) {
        return string(key).orElseThrow(() -> invalid(key, expected));
    }

    /** An error saying that {@code key} must be {@code expected}; the caller throws it. */
    default InvalidSettingException invalid(String key, String expected) {
        return new InvalidSettingException(path(), key, expected);
    }
}
