package io.tspm.config.internal;

import io.tspm.Human;
import io.tspm.ProbeKind;
import io.tspm.ProbeSettings;
import io.tspm.spi.InvalidSettingException;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeType;
import io.tspm.spi.SettingKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a probe mapping ({@code type: http} and the type's keys, plus Kubernetes' timing keys)
 * through the {@link TypeRegistry}, and writes a probe back as such a mapping.
 */
public final class ProbeBinder {

    /** The timing keys every probe mapping of a process may have. */
    public static final List<String> TIMING = List.of("initialDelay", "period", "timeout", "successThreshold",
            "failureThreshold");

    private final TypeRegistry types;
    private final Values values;

    /** A binder over {@code types}, recording errors through {@code values}. */
    public ProbeBinder(TypeRegistry types, Values values) {
        this.types = types;
        this.values = values;
    }

    /** The probe of a mapping with a {@code type}; null after recording what is wrong. */
    public Probe probe(Node node, String path, Set<String> otherKeys) {
        if (!(node instanceof Node.MapNode)) {
            values.wrong(node, path, "a probe: a mapping with a type (" + String.join(", ", types.probeTypeNames())
                    + ")");
            return null;
        }
        Node.MapNode map = (Node.MapNode) node;
        Node typeNode = map.get("type");
        if (typeNode == null) {
            values.problems().error(map.mark(), path + ".type", "missing: a probe needs a type, one of "
                    + String.join(", ", types.probeTypeNames()));
            return null;
        }
        Optional<String> name = values.string(typeNode, path + ".type", "a probe type, one of "
                + String.join(", ", types.probeTypeNames()));
        if (name.isEmpty()) {
            return null;
        }
        ProbeType type = types.probeType(name.get());
        if (type == null) {
            values.problems().error(typeNode.mark(), path + ".type", "unknown probe type '" + name.get()
                    + "', expected one of " + String.join(", ", types.probeTypeNames())
                    + Human.didYouMean(name.get(), types.probeTypeNames()));
            return null;
        }
        Set<String> known = new HashSet<>(otherKeys);
        known.add("type");
        List<String> typeKeys = new ArrayList<>();
        type.keys().forEach(k -> typeKeys.add(k.name()));
        known.addAll(typeKeys);
        int before = values.problems().errorCount();
        for (Node.Entry e : map.entries().values()) {
            if (!known.contains(e.key())) {
                List<String> all = new ArrayList<>(known);
                List<String> timing = TIMING.stream().filter(otherKeys::contains).collect(java.util.stream.Collectors.toList());
                values.problems().error(e.keyMark(), path + "." + e.key(), "unknown key of a " + type.name()
                        + " probe" + Human.didYouMean(e.key(), all) + " (its keys: " + String.join(", ", typeKeys)
                        + (timing.isEmpty() ? "" : "; and of every probe: " + String.join(", ", timing)) + ")");
            }
        }
        Set<String> excluded = new HashSet<>(otherKeys);
        excluded.add("type");
        try {
            Probe p = type.create(new NodeSettings(map, path, values, excluded, this));
            return values.problems().errorCount() == before ? p : null;
        } catch (InvalidSettingException e) {
            Node at = map.get(e.key());
            values.problems().error(at == null ? map.mark() : at.mark(), path + "." + e.key(),
                    (at == null ? "missing: " : Problems.show(path + "." + e.key(), at) + " is not accepted: ")
                            + "must be " + e.expected());
        } catch (RuntimeException e) {
            values.problems().error(map.mark(), path, "the " + type.name() + " probe is not accepted: "
                    + KeyTable.reason(e));
        }
        return null;
    }

    /** A probe with its timing; null after recording what is wrong. */
    public ProbeSettings settings(Node node, String path, ProbeKind kind) {
        Probe probe = probe(node, path, Set.copyOf(TIMING));
        if (probe == null) {
            return null;
        }
        Node.MapNode map = (Node.MapNode) node;
        ProbeSettings.Builder b = kind == ProbeKind.STARTUP ? ProbeSettings.startupBuilder(probe)
                : ProbeSettings.builder(probe);
        bindTiming(b, map, path);
        return b.build();
    }

    /** Binds the timing keys present in {@code map} onto {@code b}. */
    public void bindTiming(ProbeSettings.Builder b, Node.MapNode map, String path) {
        for (String key : TIMING) {
            Node n = map.get(key);
            if (n == null) {
                continue;
            }
            String at = path + "." + key;
            try {
                switch (key) {
                    case "initialDelay":
                        values.duration(n, at).ifPresent(b::initialDelay);
                        break;
                    case "period":
                        values.duration(n, at).ifPresent(b::period);
                        break;
                    case "timeout":
                        values.duration(n, at).ifPresent(b::timeout);
                        break;
                    case "successThreshold":
                        values.integer(n, at, 1, 1_000_000).ifPresent(b::successThreshold);
                        break;
                    default:
                        values.integer(n, at, 1, 1_000_000).ifPresent(b::failureThreshold);
                        break;
                }
            } catch (RuntimeException e) {
                values.problems().error(n.mark(), at, Problems.show(at, n) + " is not accepted: " + KeyTable.reason(e));
            }
        }
    }

    /** A probe with its timing as a mapping: the type, its settings, the timing that differs from the default. */
    public Map<String, Object> write(ProbeSettings s, ProbeKind kind) {
        Map<String, Object> m = writeProbe(s.probe());
        ProbeSettings d = (kind == ProbeKind.STARTUP ? ProbeSettings.startupBuilder(s.probe())
                : ProbeSettings.builder(s.probe())).build();
        if (!s.initialDelay().equals(d.initialDelay())) {
            m.put("initialDelay", Units.duration(s.initialDelay()));
        }
        if (!s.period().equals(d.period())) {
            m.put("period", Units.duration(s.period()));
        }
        if (!s.timeout().equals(d.timeout())) {
            m.put("timeout", Units.duration(s.timeout()));
        }
        if (s.successThreshold() != d.successThreshold()) {
            m.put("successThreshold", s.successThreshold());
        }
        if (s.failureThreshold() != d.failureThreshold()) {
            m.put("failureThreshold", s.failureThreshold());
        }
        return m;
    }

    /** A probe as a mapping of its type and settings; refuses a probe no known type made. */
    public Map<String, Object> writeProbe(Probe probe) {
        for (ProbeType t : types.probeTypes()) {
            Optional<Map<String, Object>> settings = t.settingsOf(probe);
            if (settings.isPresent()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", t.name());
                settings.get().forEach((k, v) -> m.put(k, plain(v)));
                return m;
            }
        }
        throw new IllegalArgumentException("probe " + probe.describe() + " (" + probe.getClass().getName()
                + ") was not made by a known probe type (" + String.join(", ", types.probeTypeNames())
                + "), so it cannot be written");
    }

    private Object plain(Object v) {
        if (v instanceof Duration) {
            return Units.duration((Duration) v);
        } else if (v instanceof Probe) {
            return writeProbe((Probe) v);
        } else if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) v).forEach(i -> out.add(plain(i)));
            return out;
        } else if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, i) -> out.put(String.valueOf(k), plain(i)));
            return out;
        }
        return v;
    }

    /** The schema of a probe mapping: one alternative per type, each with its keys. */
    public Map<String, Object> schema(boolean withTiming) {
        List<Object> alternatives = new ArrayList<>();
        for (ProbeType t : types.probeTypes()) {
            Map<String, Object> props = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(List.of(t.name()));
            names.addAll(t.aliases());
            props.put("type", Shapes.of("enum", names));
            for (SettingKey k : t.keys()) {
                Map<String, Object> s = new LinkedHashMap<>(kindSchema(k.kind()));
                s.put("description", k.description());
                props.put(k.name(), s);
            }
            if (withTiming) {
                props.put("initialDelay", Shapes.duration());
                props.put("period", Shapes.duration());
                props.put("timeout", Shapes.duration());
                props.put("successThreshold", Shapes.integer(1, 1_000_000));
                props.put("failureThreshold", Shapes.integer(1, 1_000_000));
            }
            alternatives.add(Shapes.of("type", "object", "properties", props, "required", List.of("type"),
                    "additionalProperties", false));
        }
        return Shapes.of("oneOf", alternatives);
    }

    private static Map<String, Object> kindSchema(SettingKey.Kind kind) {
        switch (kind) {
            case INTEGER:
                return Shapes.of("type", "integer");
            case NUMBER:
                return Shapes.of("type", "number");
            case BOOLEAN:
                return Shapes.bool();
            case DURATION:
                return Shapes.duration();
            case PORT:
                return Shapes.anyOf(Shapes.integer(1, 65535), Shapes.string());
            case STRINGS:
                return Shapes.strings();
            case STRING_MAP:
                return Shapes.stringMap();
            case PROBES:
                return Shapes.of("type", "array", "items", Shapes.ref("probe"));
            default:
                return Shapes.string();
        }
    }
}
