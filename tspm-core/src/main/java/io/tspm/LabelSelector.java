package io.tspm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks processes by their labels, written as Kubernetes writes label selectors: requirements
 * separated by commas, all of which must hold.
 *
 * <pre>
 * tier=web            tier==web          the label is there with this value
 * tier!=web                              the label is missing, or has another value
 * tier in (web,api)                      the label is there with one of these values
 * tier notin (batch)                     the label is missing, or has none of these values
 * tier                                   the label is there
 * !tier                                  the label is missing
 * </pre>
 *
 * The empty selector matches everything. Immutable and thread-safe.
 */
public final class LabelSelector {

    private static final LabelSelector ALL = new LabelSelector(List.of(), "");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_./]*");
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\(([^)]*)\\)");

    private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Op op, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            switch (op) {
                case EQUALS:
                case IN:
                    return v != null && values.contains(v);
                case NOT_EQUALS:
                case NOT_IN:
                    return v == null || !values.contains(v);
                case EXISTS:
                    return v != null;
                case NOT_EXISTS:
                    return v == null;
                default:
                    throw new AssertionError(op);
            }
        }
    }

    private final List<Requirement> requirements;
    private final String text;

    private LabelSelector(List<Requirement> requirements, String text) {
        this.requirements = requirements;
        this.text = text;
    }

    /** The selector that matches every process. */
    public static LabelSelector all() {
        return ALL;
    }

    /** The selector for one label and value ({@code key=value}). */
    public static LabelSelector of(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return parse(key + "=" + value);
    }

    /**
     * Parses a selector; {@link IllegalArgumentException} naming the part that is not one of the
     * forms above.
     */
    public static LabelSelector parse(String selector) {
        Objects.requireNonNull(selector, "selector");
        String trimmed = selector.trim();
        if (trimmed.isEmpty()) {
            return ALL;
        }
        List<Requirement> out = new ArrayList<>();
        for (String part : split(trimmed, selector)) {
            out.add(requirement(part.trim(), selector));
        }
        return new LabelSelector(List.copyOf(out), trimmed);
    }

    /** Splits at the commas outside parentheses, which must pair up. */
    private static List<String> split(String s, String whole) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth < 0) {
                    throw bad(s, whole, "a ')' at " + (i + 1) + " closes no '('");
                }
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(from, i));
                from = i + 1;
            }
        }
        if (depth > 0) {
            throw bad(s, whole, "a '(' is never closed");
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static Requirement requirement(String part, String whole) {
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String v : set.group(3).split(",")) {
                if (!v.trim().isEmpty()) {
                    values.add(v.trim());
                }
            }
            if (values.isEmpty()) {
                throw bad(part, whole, "a set needs at least one value");
            }
            return new Requirement(key(set.group(1), part, whole), set.group(2).equals("in") ? Op.IN : Op.NOT_IN,
                    Set.copyOf(values));
        }
        int ne = part.indexOf("!=");
        if (ne > 0) {
            return new Requirement(key(part.substring(0, ne).trim(), part, whole), Op.NOT_EQUALS,
                    Set.of(value(part.substring(ne + 2).trim(), part, whole)));
        }
        int eq = part.indexOf('=');
        if (eq > 0) {
            int valueAt = part.startsWith("==", eq) ? eq + 2 : eq + 1;
            return new Requirement(key(part.substring(0, eq).trim(), part, whole), Op.EQUALS,
                    Set.of(value(part.substring(valueAt).trim(), part, whole)));
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1).trim(), part, whole), Op.NOT_EXISTS, Set.of());
        }
        return new Requirement(key(part, part, whole), Op.EXISTS, Set.of());
    }

    private static String key(String key, String part, String whole) {
        if (!KEY.matcher(key).matches()) {
            throw bad(part, whole, "expected a label key (letters, digits, - _ . /), but was '" + key + "'");
        }
        return key;
    }

    private static String value(String value, String part, String whole) {
        if (value.isEmpty() || value.contains("=") || value.contains(" ")) {
            throw bad(part, whole, "expected a value without spaces or '=', but was '" + value + "'");
        }
        return value;
    }

    private static IllegalArgumentException bad(String part, String whole, String why) {
        // The part only when it is not the whole selector, which the message names already.
        String where = part.equals(whole.trim()) ? "" : "'" + part + "': ";
        return new IllegalArgumentException("label selector '" + whole + "': " + where + why
                + " (forms: key=value, key!=value, key in (a,b), key notin (a,b), key, !key)");
    }

    /** Whether {@code labels} meet every requirement. */
    public boolean matches(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Whether this selector matches everything (it has no requirement). */
    public boolean isAll() {
        return requirements.isEmpty();
    }

    /** The keys the selector names. */
    public Collection<String> keys() {
        List<String> keys = new ArrayList<>();
        requirements.forEach(r -> keys.add(r.key()));
        return List.copyOf(keys);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector && ((LabelSelector) o).requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    /** The selector as it was written (trimmed). */
    @Override
    public String toString() {
        return text;
    }
}
