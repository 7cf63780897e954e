package io.tspm.config.internal;

import io.tspm.Human;
import io.tspm.spi.InvalidSettingException;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.LoadBalancerType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds {@code lbStrategy}: a strategy's name ({@code least-connections}), or a mapping with its
 * {@code type} and settings ({@code {type: slow-start, window: 10s}}), through the strategies the
 * {@link TypeRegistry} finds (tspm-loadbalancer's and any on the class path); and writes one back.
 */
final class LoadBalancing {

    private LoadBalancing() {
    }

    static void bind(SpecDraft draft, Node node, String path, Values values) {
        Node.MapNode settings;
        String name;
        if (node instanceof Node.MapNode) {
            settings = (Node.MapNode) node;
            Node type = settings.get("type");
            if (type == null) {
                values.problems().error(node.mark(), path + ".type", "missing: a strategy name, such as round-robin");
                return;
            }
            Optional<String> t = values.string(type, path + ".type", "a strategy name");
            if (t.isEmpty()) {
                return;
            }
            name = t.get();
        } else {
            Optional<String> t = values.string(node, path, "a strategy name, or {type: name, ...}");
            if (t.isEmpty()) {
                return;
            }
            name = t.get();
            settings = new Node.MapNode(node.mark(), new LinkedHashMap<>());
        }
        TypeRegistry registry = TypeRegistry.shared();
        LoadBalancerType type = registry.loadBalancerType(name);
        if (type == null) {
            List<String> known = registry.loadBalancerTypeNames();
            values.problems().error(node.mark(), path, "unknown strategy '" + name + "', expected one of "
                    + String.join(", ", known) + Human.didYouMean(name, known));
            return;
        }
        Set<String> known = new HashSet<>();
        known.add("type");
        type.keys().forEach(k -> known.add(k.name()));
        for (Node.Entry e : settings.entries().values()) {
            if (!known.contains(e.key())) {
                values.problems().error(e.keyMark(), path + "." + e.key(), "unknown key of the " + type.name()
                        + " strategy" + Human.didYouMean(e.key(), new ArrayList<>(known)));
                return;
            }
        }
        try {
            LoadBalancer lb = type.create(new NodeSettings(settings, path, values, Set.of("type"), null));
            draft.spec.loadBalancer(lb);
        } catch (InvalidSettingException e) {
            Node at = settings.get(e.key());
            values.problems().error(at == null ? node.mark() : at.mark(), path + "." + e.key(),
                    (at == null ? "missing: " : Problems.show(path + "." + e.key(), at) + " is not accepted: ")
                            + "must be " + e.expected());
        } catch (RuntimeException e) {
            values.problems().error(node.mark(), path, "the " + type.name() + " strategy is not accepted: "
                    + KeyTable.reason(e));
        }
    }

    /** What a file writes for {@code lb}: its name, or its type and settings; null for the default. */
    static Object write(Optional<LoadBalancer> lb) {
        if (lb.isEmpty()) {
            return null;
        }
        LoadBalancer balancer = lb.get();
        LoadBalancerType type = TypeRegistry.shared().loadBalancerType(balancer.name());
        Map<String, Object> settings = type == null ? null : type.settingsOf(balancer).orElse(null);
        if (settings == null || settings.isEmpty()) {
            return balancer.name();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", balancer.name());
        out.putAll(settings);
        return out;
    }
}
