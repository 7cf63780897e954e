package io.tspm.config;

import io.tspm.Hook;
import io.tspm.ProbeSettings;
import io.tspm.ProcessSpec;
import io.tspm.config.internal.SpecWriter;
import io.tspm.healthcheck.CommandProbe;
import io.tspm.healthcheck.HttpProbe;
import io.tspm.healthcheck.TcpProbe;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The same processes for a Kubernetes cluster: per process a Deployment (replicas = instances;
 * command, args, working directory, environment; its probes as {@code httpGet}, {@code tcpSocket}
 * or {@code exec} with the same delays, periods, timeouts and thresholds; {@code preStop} as a
 * lifecycle hook; {@code resources.limits.memory} from {@code maxMemory}; labels and namespace)
 * and, for a process with a port, a Service in front of its pods. Each pod runs one instance, so
 * every pod listens on {@code basePort} and the Service balances across them. A probe with no
 * Kubernetes equivalent (a log line, a ready file, a Java probe) is left out with a comment
 * saying so, never guessed.
 */
public final class KubernetesManifests {

    private KubernetesManifests() {
    }

    /** The manifests of {@code specs}, as one multi-document YAML, with {@code image} for every container. */
    public static String of(List<ProcessSpec> specs, String image) {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("image must name a container image, but was blank");
        }
        StringBuilder out = new StringBuilder();
        for (ProcessSpec spec : specs) {
            List<String> notes = new ArrayList<>();
            Map<String, Object> deployment = deployment(spec, image, notes);
            out.append("# process '").append(spec.name()).append("'\n");
            notes.forEach(n -> out.append("# note: ").append(n).append('\n'));
            out.append("---\n").append(SpecWriter.yaml(deployment));
            if (spec.basePort().isPresent()) {
                out.append("---\n").append(SpecWriter.yaml(service(spec)));
            }
        }
        return out.toString();
    }

    /** A name Kubernetes takes (RFC 1123 label: lowercase letters, digits, '-', at most 63). */
    static String dns(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "process" : s;
    }

    private static Map<String, Object> metadata(ProcessSpec spec) {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", dns(spec.name()));
        labels.put("app.kubernetes.io/managed-by", "tspm");
        spec.labels().forEach((k, v) -> labels.putIfAbsent(k, v));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", dns(spec.name()));
        m.put("namespace", dns(spec.namespace()));
        m.put("labels", labels);
        return m;
    }

    private static Map<String, Object> deployment(ProcessSpec spec, String image, List<String> notes) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", dns(spec.name()));
        container.put("image", image);
        List<String> argv = spec.argv();
        container.put("command", List.of(argv.get(0)));
        if (argv.size() > 1) {
            container.put("args", argv.subList(1, argv.size()));
        }
        spec.workingDirectory().ifPresent(d -> container.put("workingDir", d.toString()));
        List<Map<String, Object>> env = new ArrayList<>();
        spec.environment().forEach((k, v) -> env.add(Map.of("name", k, "value", v)));
        env.add(Map.of("name", ProcessSpec.PROCESS_NAME_VAR, "value", spec.name()));
        spec.basePort().ifPresent(p -> env.add(Map.of("name", spec.portVar(), "value", Integer.toString(p))));
        container.put("env", env);
        if (spec.environment().values().stream().anyMatch(v -> v.contains("{instance}"))) {
            notes.add("{instance} in the environment has no per-pod value in a Deployment (use a StatefulSet)");
        }
        spec.basePort().ifPresent(p -> container.put("ports", List.of(Map.of("containerPort", p, "name", "main"))));
        spec.startupProbe().ifPresent(p -> probe(spec, p, "startupProbe", container, notes));
        spec.readinessProbe().ifPresent(p -> probe(spec, p, "readinessProbe", container, notes));
        spec.livenessProbe().ifPresent(p -> probe(spec, p, "livenessProbe", container, notes));
        spec.hooks().preStop().ifPresent(h -> lifecycle(h, "preStop", container, notes));
        spec.hooks().postStart().ifPresent(h -> lifecycle(h, "postStart", container, notes));
        spec.maxMemory().ifPresent(bytes -> container.put("resources", Map.of("limits",
                Map.of("memory", (bytes + (1 << 20) - 1) / (1 << 20) + "Mi"))));

        Map<String, Object> podSpec = new LinkedHashMap<>();
        podSpec.put("containers", List.of(container));
        // The stop timeout becomes the pod's grace period, as Kubernetes counts it for the stop signal.
        podSpec.put("terminationGracePeriodSeconds", Math.max(1, (spec.stopTimeout().toMillis() + 999) / 1000));
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("metadata", Map.of("labels", metadata(spec).get("labels")));
        template.put("spec", podSpec);
        Map<String, Object> deploymentSpec = new LinkedHashMap<>();
        deploymentSpec.put("replicas", spec.instances());
        deploymentSpec.put("selector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", dns(spec.name()))));
        deploymentSpec.put("template", template);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", "apps/v1");
        d.put("kind", "Deployment");
        d.put("metadata", metadata(spec));
        d.put("spec", deploymentSpec);
        return d;
    }

    private static void probe(ProcessSpec spec, ProbeSettings settings, String field, Map<String, Object> container,
            List<String> notes) {
        Optional<Map<String, Object>> action = action(spec, settings);
        if (action.isEmpty()) {
            notes.add(field + " (" + settings.probe().describe() + ") has no Kubernetes equivalent and is left out");
            return;
        }
        Map<String, Object> p = new LinkedHashMap<>(action.get());
        p.put("initialDelaySeconds", seconds(settings.initialDelay().toMillis()));
        p.put("periodSeconds", Math.max(1, seconds(settings.period().toMillis())));
        p.put("timeoutSeconds", Math.max(1, seconds(settings.timeout().toMillis())));
        p.put("successThreshold", field.equals("readinessProbe") ? settings.successThreshold() : 1);
        p.put("failureThreshold", settings.failureThreshold());
        container.put(field, p);
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }

    private static Optional<Map<String, Object>> action(ProcessSpec spec, ProbeSettings settings) {
        Object probe = settings.probe();
        int port = spec.basePort().orElse(0);
        if (probe instanceof HttpProbe http) {
            URI uri = URI.create(http.urlTemplate().replace("{port}", Integer.toString(Math.max(port, 1)))
                    .replace("{id}", "0").replace("{name}", spec.name()));
            Map<String, Object> get = new LinkedHashMap<>();
            get.put("path", uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            get.put("port", uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80);
            if (uri.getScheme().equals("https")) {
                get.put("scheme", "HTTPS");
            }
            if (!http.headers().isEmpty()) {
                List<Map<String, Object>> headers = new ArrayList<>();
                http.headers().forEach((k, v) -> headers.add(Map.of("name", k, "value", v)));
                get.put("httpHeaders", headers);
            }
            return Optional.of(Map.of("httpGet", get));
        }
        if (probe instanceof TcpProbe tcp) {
            String p = tcp.portTemplate().replace("{port}", Integer.toString(port));
            try {
                return Optional.of(Map.of("tcpSocket", Map.of("port", Integer.parseInt(p))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (probe instanceof CommandProbe command) {
            return Optional.of(Map.of("exec", Map.of("command", command.command())));
        }
        return Optional.empty();
    }

    private static void lifecycle(Hook hook, String phase, Map<String, Object> container, List<String> notes) {
        List<String> command;
        switch (hook.kind()) {
            case COMMAND:
                command = hook.argv();
                break;
            case SHELL:
                command = List.of("/bin/sh", "-c", hook.argv().get(0));
                break;
            default:
                notes.add(phase + " is a Java callback: it has no Kubernetes equivalent and is left out");
                return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lifecycle = (Map<String, Object>) container.computeIfAbsent("lifecycle",
                k -> new LinkedHashMap<String, Object>());
        lifecycle.put(phase, Map.of("exec", Map.of("command", command)));
    }

    private static Map<String, Object> service(ProcessSpec spec) {
        int target = spec.basePort().getAsInt();
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("name", "main");
        port.put("port", spec.proxyPort().orElse(target));
        port.put("targetPort", target);
        Map<String, Object> serviceSpec = new LinkedHashMap<>();
        serviceSpec.put("selector", Map.of("app.kubernetes.io/name", dns(spec.name())));
        serviceSpec.put("ports", List.of(port));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("apiVersion", "v1");
        s.put("kind", "Service");
        s.put("metadata", metadata(spec));
        s.put("spec", serviceSpec);
        return s;
    }
}
