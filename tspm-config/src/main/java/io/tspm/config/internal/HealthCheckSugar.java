package io.tspm.config.internal;

import io.tspm.Human;
import io.tspm.ProbeSettings;
import io.tspm.spi.Probe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The seed's {@code healthCheck: {enabled, protocol, path, port, interval, timeout, retries}}: one
 * probe that is both the readiness probe (the instance is RUNNING, and picked by load balancing,
 * once it passes) and the liveness probe (failing {@code retries} checks in a row restarts it),
 * checked every {@code interval}. An HTTP or TCP check without a port checks each instance's own
 * port ({@code {port}}); a process without a basePort gets basePort {@value #DEFAULT_BASE_PORT}
 * (PORT=3000, 3001, ... as Node servers expect), with a warning that says how to choose.
 */
final class HealthCheckSugar {

    /** The basePort a process with a port-less HTTP or TCP health check gets. */
    static final int DEFAULT_BASE_PORT = 3000;
    static final List<String> KEYS = List.of("enabled", "protocol", "host", "port", "path", "url", "command",
            "interval", "timeout", "retries", "initialDelay");
    private static final List<String> PROTOCOLS = List.of("http", "https", "tcp", "command", "none");

    private HealthCheckSugar() {
    }

    static void apply(SpecDraft d, Values v) {
        Node node = d.healthCheck;
        String path = d.healthCheckPath;
        if (!(node instanceof Node.MapNode)) {
            v.wrong(node, path, "a mapping such as {protocol: http, path: /health, interval: 30000, retries: 3}");
            return;
        }
        Node.MapNode map = (Node.MapNode) node;
        for (Node.Entry e : map.entries().values()) {
            if (!KEYS.contains(e.key())) {
                v.problems().error(e.keyMark(), path + "." + e.key(), "unknown key of healthCheck"
                        + Human.didYouMean(e.key(), KEYS));
            }
        }
        Node enabled = map.get("enabled");
        if (enabled != null && !v.bool(enabled, path + ".enabled").orElse(true)) {
            return;
        }
        Node protocolNode = map.get("protocol");
        String protocol = protocolNode == null ? "http"
                : v.choice(protocolNode, path + ".protocol", PROTOCOLS).orElse(null);
        if (protocol == null || protocol.equals("none")) {
            return;
        }
        Map<String, Node.Entry> probe = new LinkedHashMap<>();
        Node.Mark at = protocolNode != null ? protocolNode.mark() : map.mark();
        probe.put("type", new Node.Entry("type", at, new Node.Scalar(at, protocol, protocol)));
        List<String> carried = protocol.equals("command") ? List.of("command")
                : protocol.equals("tcp") ? List.of("host", "port") : List.of("host", "port", "path", "url");
        for (String key : KEYS) {
            Node.Entry e = map.entries().get(key);
            if (e == null || key.equals("enabled") || key.equals("protocol") || isTiming(key)) {
                continue;
            }
            if (!carried.contains(key)) {
                v.problems().error(e.keyMark(), path + "." + key, "not used by a " + protocol + " health check"
                        + " (it uses " + String.join(", ", carried) + ")");
                continue;
            }
            probe.put(key, e);
        }
        if (!protocol.equals("command") && !probe.containsKey("port") && !probe.containsKey("url") && !d.basePort) {
            d.spec.basePort(DEFAULT_BASE_PORT);
            d.basePort = true;
            v.problems().warn(map.mark(), path, "no port given: the process gets basePort " + DEFAULT_BASE_PORT
                    + " (instance i listens on " + DEFAULT_BASE_PORT + " + i, told in PORT) and the check calls"
                    + " each instance's own port; set healthCheck.port, or basePort on the process, to choose");
        }
        Probe p = d.probes.probe(new Node.MapNode(map.mark(), probe), path, Set.of());
        if (p == null) {
            return;
        }
        Optional<java.time.Duration> interval = timing(map, "interval").flatMap(n -> v.duration(n, path + ".interval"));
        Optional<java.time.Duration> timeout = timing(map, "timeout").flatMap(n -> v.duration(n, path + ".timeout"));
        Optional<java.time.Duration> delay = timing(map, "initialDelay")
                .flatMap(n -> v.duration(n, path + ".initialDelay"));
        java.util.OptionalInt retries = timing(map, "retries").map(n -> v.integer(n, path + ".retries", 1, 1_000_000))
                .orElse(java.util.OptionalInt.empty());
        ProbeSettings.Builder readiness = ProbeSettings.builder(p);
        ProbeSettings.Builder liveness = ProbeSettings.builder(p);
        for (ProbeSettings.Builder b : List.of(readiness, liveness)) {
            interval.ifPresent(b::period);
            timeout.ifPresent(b::timeout);
            delay.ifPresent(b::initialDelay);
            retries.ifPresent(b::failureThreshold);
        }
        d.spec.readinessProbe(readiness.build());
        d.spec.livenessProbe(liveness.build());
    }

    private static boolean isTiming(String key) {
        return key.equals("interval") || key.equals("timeout") || key.equals("retries") || key.equals("initialDelay");
    }

    private static Optional<Node> timing(Node.MapNode map, String key) {
        return Optional.ofNullable(map.get(key));
    }
}
