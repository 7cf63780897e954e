package io.tspm;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** The value checks the spec's parts share; each names the field and the value. */
final class Checks {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Checks() {
    }

    /** Checks an argv; {@code program} when its first element names the program (not blank). */
    static List<String> argv(String field, List<String> argv, boolean program) {
        Objects.requireNonNull(argv, field);
        if (program && argv.isEmpty()) {
            throw new IllegalArgumentException(field + " must name a program, but was []");
        }
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a == null) {
                throw new NullPointerException(field + "[" + i + "]");
            }
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(field + "[" + i + "] must not contain a NUL character, but was '"
                        + a.replace('\0', '?') + "'");
            }
        }
        if (program && argv.get(0).isBlank()) {
            throw new IllegalArgumentException(field + "[0] (the program) must not be blank, but was '"
                    + argv.get(0) + "'");
        }
        return argv;
    }

    static String envName(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!ENV_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + " must be a variable name ([A-Za-z_][A-Za-z0-9_]*), but was '" + value + "'");
        }
        return value;
    }

    static void envKey(String key) {
        Objects.requireNonNull(key, "env key");
        if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("env key must be non-empty without '=' or NUL, but was '"
                    + key.replace('\0', '?') + "'");
        }
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", but was " + value);
        }
        return value;
    }
}
