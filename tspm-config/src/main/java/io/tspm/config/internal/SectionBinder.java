package io.tspm.config.internal;

import io.tspm.Human;
import io.tspm.config.ControlSettings;
import io.tspm.config.MetricsSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Binds the small top-level sections the runner reads: {@code control:} and {@code metrics:}. */
final class SectionBinder {

    private SectionBinder() {
    }

    static Map<String, Object> controlSchema() {
        return Shapes.of("type", "object", "additionalProperties", false, "properties", Shapes.of(
                "address", Shapes.string(), "port", Shapes.integer(0, 65535), "allowRemote", Shapes.bool()));
    }

    static Map<String, Object> metricsSchema() {
        return Shapes.of("type", "object", "additionalProperties", false, "properties", Shapes.of(
                "enabled", Shapes.bool(), "textfiles", Shapes.bool()));
    }

    private static boolean onlyKnown(Node.MapNode map, String path, List<String> keys, Values values) {
        boolean ok = true;
        for (Node.Entry e : map.entries().values()) {
            if (!keys.contains(e.key())) {
                values.problems().error(e.keyMark(), path + "." + e.key(), "unknown key"
                        + Human.didYouMean(e.key(), keys) + " (its keys: "
                        + String.join(", ", keys) + ")");
                ok = false;
            }
        }
        return ok;
    }

    static ControlSettings control(Node node, Values values) {
        if (!(node instanceof Node.MapNode map)) {
            values.wrong(node, "control", "a mapping with address, port, allowRemote");
            return ControlSettings.DEFAULTS;
        }
        if (!onlyKnown(map, "control", List.of("address", "port", "allowRemote"), values)) {
            return ControlSettings.DEFAULTS;
        }
        String address = Optional.ofNullable(map.get("address"))
                .flatMap(n -> values.string(n, "control.address", "an IP address")).orElse("127.0.0.1");
        OptionalInt port = map.get("port") == null ? OptionalInt.of(0)
                : values.integer(map.get("port"), "control.port", 0, 65535);
        boolean remote = Optional.ofNullable(map.get("allowRemote")).flatMap(n -> values.bool(n, "control.allowRemote"))
                .orElse(false);
        try {
            return new ControlSettings(address.trim(), port.orElse(0), remote);
        } catch (IllegalArgumentException e) {
            values.problems().error(map.get("address") == null ? map.mark() : map.get("address").mark(),
                    "control.address", e.getMessage());
            return ControlSettings.DEFAULTS;
        }
    }

    static MetricsSettings metrics(Node node, Values values) {
        if (!(node instanceof Node.MapNode map)) {
            values.wrong(node, "metrics", "a mapping with enabled, textfiles");
            return MetricsSettings.DEFAULTS;
        }
        if (!onlyKnown(map, "metrics", List.of("enabled", "textfiles"), values)) {
            return MetricsSettings.DEFAULTS;
        }
        boolean enabled = Optional.ofNullable(map.get("enabled")).flatMap(n -> values.bool(n, "metrics.enabled"))
                .orElse(true);
        boolean textfiles = Optional.ofNullable(map.get("textfiles")).flatMap(n -> values.bool(n, "metrics.textfiles"))
                .orElse(true);
        return new MetricsSettings(enabled, textfiles);
    }
}
