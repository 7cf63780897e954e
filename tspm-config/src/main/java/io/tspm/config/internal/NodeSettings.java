package io.tspm.config.internal;

import io.tspm.spi.Probe;
import io.tspm.spi.TypeSettings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@link TypeSettings} of one mapping of the tree: a probe type or a strategy reads its keys
 * through it, and a value of the wrong kind is an error at its line.
 */
final class NodeSettings implements TypeSettings {

    private final Node.MapNode map;
    private final String path;
    private final Values values;
    private final Set<String> keys;
    private final ProbeBinder probes;

    NodeSettings(Node.MapNode map, String path, Values values, Set<String> excluded, ProbeBinder probes) {
        this.map = map;
        this.path = path;
        this.values = values;
        Set<String> k = new LinkedHashSet<>(map.entries().keySet());
        k.removeAll(excluded);
        this.keys = Set.copyOf(k);
        this.probes = probes;
    }

    private Node node(String key) {
        return keys.contains(key) ? map.get(key) : null;
    }

    private String at(String key) {
        return path + "." + key;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Set<String> keys() {
        return keys;
    }

    @Override
    public Optional<String> string(String key) {
        Node n = node(key);
        return n == null ? Optional.empty() : values.text(n, at(key));
    }

    @Override
    public OptionalInt integer(String key) {
        Node n = node(key);
        return n == null ? OptionalInt.empty() : values.integer(n, at(key), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public OptionalDouble number(String key) {
        Node n = node(key);
        return n == null ? OptionalDouble.empty() : values.number(n, at(key));
    }

    @Override
    public Optional<Boolean> flag(String key) {
        Node n = node(key);
        return n == null ? Optional.empty() : values.bool(n, at(key));
    }

    @Override
    public Optional<Duration> duration(String key) {
        Node n = node(key);
        return n == null ? Optional.empty() : values.duration(n, at(key));
    }

    @Override
    public Optional<String> port(String key) {
        Node n = node(key);
        if (n == null) {
            return Optional.empty();
        }
        if (n instanceof Node.Scalar && ((Node.Scalar) n).value() instanceof String
                && ((String) ((Node.Scalar) n).value()).contains("{")) {
            return Optional.of((String) ((Node.Scalar) n).value());
        }
        OptionalLong p = values.whole(n, at(key), 1, 65535);
        return p.isPresent() ? Optional.of(Long.toString(p.getAsLong())) : Optional.empty();
    }

    @Override
    public List<String> strings(String key) {
        Node n = node(key);
        List<String> s = n == null ? null : values.strings(n, at(key));
        return s == null ? List.of() : s;
    }

    @Override
    public Map<String, String> stringMap(String key) {
        Node n = node(key);
        Map<String, String> m = n == null ? null : values.stringMap(n, at(key));
        return m == null ? Map.of() : m;
    }

    @Override
    public List<Probe> probes(String key) {
        Node n = node(key);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof Node.ListNode)) {
            values.wrong(n, at(key), "a list of probes, each a mapping with its type");
            return List.of();
        }
        List<Node> items = ((Node.ListNode) n).items();
        java.util.ArrayList<Probe> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Probe p = probes.probe(items.get(i), at(key) + "[" + i + "]", Set.of());
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
