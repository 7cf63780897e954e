package io.tspm.config.internal;

import io.tspm.Human;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The keys of one mapping: binds a mapping with them, writes a value with them, describes them as a schema. */
public final class KeyTable<C, S> {

    private final List<Key<C, S>> keys;
    private final Map<String, Key<C, S>> byName = new LinkedHashMap<>();

    /** A table of {@code keys}. */
    public KeyTable(List<Key<C, S>> keys) {
        this.keys = List.copyOf(keys);
        for (Key<C, S> k : keys) {
            byName.put(k.name(), k);
            k.aliases().forEach(a -> byName.put(a, k));
        }
    }

    /** The keys, in the order they are written. */
    public List<Key<C, S>> keys() {
        return keys;
    }

    /** The key named {@code name} (or an alias of it), or null. */
    public Key<C, S> get(String name) {
        return byName.get(name);
    }

    /** Every name and alias. */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /**
     * Binds every entry of {@code map} onto {@code context}; entries {@code handledElsewhere}
     * accepts are left to the caller; an unknown key is an error with the nearest known one.
     * A value the builder refuses is an error at the value, with the builder's reason.
     */
    public void bind(C context, Node.MapNode map, String path, Values values, Predicate<String> handledElsewhere) {
        for (Node.Entry e : map.entries().values()) {
            String at = path.isEmpty() ? e.key() : path + "." + e.key();
            Key<C, S> key = byName.get(e.key());
            if (key == null) {
                if (!handledElsewhere.test(e.key())) {
                    unknown(e, at, values.problems());
                }
                continue;
            }
            try {
                key.bind(context, e.value(), at, values);
            } catch (RuntimeException ex) {
                values.problems().error(e.value().mark(), at, Problems.show(at, e.value()) + " is not accepted: "
                        + reason(ex));
            }
        }
    }

    /**
     * Records an unknown key, with the nearest known name; a small table (supervisor, logs) also
     * lists its keys, as the sections do: 'stopTimeout' under supervisor is near none of them.
     */
    public void unknown(Node.Entry e, String at, Problems problems) {
        List<String> names = names();
        problems.error(e.keyMark(), at, "unknown key" + Human.didYouMean(e.key(), names)
                + (names.size() <= SMALL ? " (its keys: " + String.join(", ", names) + ")" : ""));
    }

    /** At most this many names are listed with an unknown key (a process has about 60). */
    private static final int SMALL = 16;

    /** The message of what a builder threw. */
    public static String reason(RuntimeException ex) {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    /** The written keys of {@code value} that are not at their defaults, in table order. */
    public Map<String, Object> write(S value) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Key<C, S> k : keys) {
            Object v = k.write(value);
            if (v != null) {
                out.put(k.name(), v);
            }
        }
        return out;
    }

    /** A JSON Schema object of these keys (aliases included), refusing other keys. */
    public Map<String, Object> schema(String description) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Key<C, S> k : keys) {
            Map<String, Object> s = new LinkedHashMap<>(k.schema());
            s.put("description", k.description());
            properties.put(k.name(), s);
            for (String a : k.aliases()) {
                Map<String, Object> alias = new LinkedHashMap<>(s);
                alias.put("description", "Same as " + k.name() + ".");
                properties.put(a, alias);
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("description", description);
        schema.put("properties", properties);
        schema.put("additionalProperties", false);
        return schema;
    }
}
