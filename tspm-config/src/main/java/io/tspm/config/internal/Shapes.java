package io.tspm.config.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments for the kinds of value keys take. */
public final class Shapes {

    private Shapes() {
    }

    static Map<String, Object> of(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A string. */
    public static Map<String, Object> string() {
        return of("type", "string");
    }

    /** A boolean. */
    public static Map<String, Object> bool() {
        return of("type", "boolean");
    }

    /** A whole number in a range. */
    public static Map<String, Object> integer(long min, long max) {
        return of("type", "integer", "minimum", min, "maximum", max);
    }

    /** A number in a range. */
    public static Map<String, Object> number(double min, double max) {
        return of("type", "number", "minimum", min, "maximum", max);
    }

    /** A duration: text with a unit, or milliseconds. */
    public static Map<String, Object> duration() {
        return of("oneOf", List.of(of("type", "number", "minimum", 0),
                of("type", "string", "pattern", "^\\s*(\\d+(\\.\\d+)?\\s*(ns|us|ms|s|m|h|d)?\\s*)+$")));
    }

    /** A size: text with a unit, or bytes. */
    public static Map<String, Object> size() {
        return of("oneOf", List.of(of("type", "integer", "minimum", 0),
                of("type", "string", "pattern", "(?i)^\\s*\\d+(\\.\\d+)?\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\\s*$")));
    }

    /** One of some words. */
    public static Map<String, Object> choice(List<String> words) {
        return of("type", "string", "enum", words);
    }

    /** A list of strings or one string. */
    public static Map<String, Object> strings() {
        return of("oneOf", List.of(of("type", "string"), of("type", "array", "items", of("type", "string"))));
    }

    /** A mapping of names to scalar values. */
    public static Map<String, Object> stringMap() {
        return of("type", "object", "additionalProperties", of("type", List.of("string", "number", "boolean")));
    }

    /** Any of these shapes. */
    @SafeVarargs
    public static Map<String, Object> anyOf(Map<String, Object>... shapes) {
        return of("oneOf", List.of(shapes));
    }

    /** A reference to a definition of the schema. */
    public static Map<String, Object> ref(String definition) {
        return of("$ref", "#/$defs/" + definition);
    }
}
