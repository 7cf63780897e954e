package io.tspm.config.internal;

import io.tspm.Human;
import io.tspm.ProcessSpec;
import io.tspm.ProbeSettings;
import io.tspm.config.SupervisorSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one binder: walks the tree of a file (ours, or a PM2 ecosystem translated into ours) onto
 * the core builders through the key tables, records every error, then checks what crosses
 * processes (duplicate names, unknown or cyclic dependsOn, overlapping ports, a {port} probe on a
 * process without a port). One binder binds one file.
 */
public final class ConfigBinder {

    /** What a file binds to. */
    public record Result(List<ProcessSpec> specs, SupervisorSettings supervisor, List<io.tspm.config.Webhook> webhooks,
            io.tspm.config.ControlSettings control, io.tspm.config.MetricsSettings metrics) {
    }

    private static final List<String> TOP = List.of("processes", "supervisor", "webhooks", "control", "metrics",
            "$schema");

    /** The path of each bound process mapping, for the cross-process checks (a binder binds one file). */
    private final Map<Node.MapNode, String> paths = new java.util.IdentityHashMap<>();

    private final TypeRegistry types;
    private final String profile;
    /** Every profile the file names (env_<name> or profiles.<name>), to check the selected one exists. */
    private final Set<String> declaredProfiles = new java.util.TreeSet<>();

    /** A binder over {@code types}; {@code profile} (may be null) selects {@code env_<profile>}. */
    public ConfigBinder(TypeRegistry types, String profile) {
        this.types = types;
        this.profile = profile;
    }

    /** Binds {@code root}; errors and warnings go to {@code problems}. */
    public Result bind(Node root, Problems problems) {
        Values values = new Values(problems);
        Node.MapNode ours = Pm2Apps.isEcosystem(root) ? new Pm2Apps(values).translate(root) : null;
        if (ours == null) {
            if (!(root instanceof Node.MapNode)) {
                values.wrong(root, "", "a mapping with a processes list (or a PM2 ecosystem with apps)");
                return new Result(List.of(), SupervisorSettings.NONE, List.of(), io.tspm.config.ControlSettings.DEFAULTS,
                        io.tspm.config.MetricsSettings.DEFAULTS);
            }
            ours = (Node.MapNode) root;
        }
        SupervisorSettings supervisor = SupervisorSettings.NONE;
        List<io.tspm.config.Webhook> webhooks = List.of();
        io.tspm.config.ControlSettings control = io.tspm.config.ControlSettings.DEFAULTS;
        io.tspm.config.MetricsSettings metrics = io.tspm.config.MetricsSettings.DEFAULTS;
        List<ProcessSpec> specs = new ArrayList<>();
        Map<String, Node.MapNode> nodes = new LinkedHashMap<>();
        // Every named process, its own errors or not: a dependsOn naming one is no error of its own.
        Map<String, Node.MapNode> declared = new LinkedHashMap<>();
        for (Node.Entry e : ours.entries().values()) {
            switch (e.key()) {
                case "processes":
                    processes(e.value(), values, specs, nodes, declared);
                    break;
                case "supervisor":
                    if (e.value() instanceof Node.MapNode) {
                        SupervisorKeys.Draft d = new SupervisorKeys.Draft();
                        SupervisorKeys.table().bind(d, (Node.MapNode) e.value(), "supervisor", values, k -> false);
                        supervisor = d.build();
                    } else {
                        values.wrong(e.value(), "supervisor", "a mapping of supervisor settings");
                    }
                    break;
                case "webhooks":
                    webhooks = WebhookBinder.bind(e.value(), values);
                    break;
                case "control":
                    control = SectionBinder.control(e.value(), values);
                    break;
                case "metrics":
                    metrics = SectionBinder.metrics(e.value(), values);
                    break;
                case "$schema":
                    break;
                default:
                    problems.error(e.keyMark(), e.key(), "unknown key" + Human.didYouMean(e.key(), TOP)
                            + " (the top level has processes, supervisor, webhooks, control and metrics)");
            }
        }
        if (ours.get("processes") == null && !problems.hasErrors()) {
            problems.warn(ours.mark(), "processes", "no processes are declared");
        }
        crossChecks(specs, nodes, declared, values);
        checkProfile(ours, problems);
        return new Result(List.copyOf(specs), supervisor, List.copyOf(webhooks), control, metrics);
    }

    private void processes(Node node, Values values, List<ProcessSpec> specs, Map<String, Node.MapNode> nodes,
            Map<String, Node.MapNode> declared) {
        if (!(node instanceof Node.ListNode)) {
            values.wrong(node, "processes", "a list of processes, each a mapping with a name");
            return;
        }
        List<Node> items = ((Node.ListNode) node).items();
        for (int i = 0; i < items.size(); i++) {
            String path = "processes[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof Node.MapNode)) {
                values.wrong(item, path, "a process: a mapping with a name and a command, script or shell");
                continue;
            }
            Node.MapNode map = (Node.MapNode) item;
            ProcessSpec spec = process(map, path, values);
            if (spec == null) {
                Node name = map.get("name");
                if (name instanceof Node.Scalar && ((Node.Scalar) name).value() instanceof String) {
                    declared.putIfAbsent(((Node.Scalar) name).text(), map);
                    paths.putIfAbsent(map, path);
                }
                continue;
            }
            if (nodes.containsKey(spec.name())) {
                Node.MapNode first = nodes.get(spec.name());
                values.problems().error(map.get("name").mark(), path + ".name", "duplicate process name '"
                        + spec.name() + "' (first at line " + first.get("name").mark().line() + ")");
                continue;
            }
            nodes.put(spec.name(), map);
            declared.putIfAbsent(spec.name(), map);
            paths.put(map, path);
            specs.add(spec);
        }
    }

    /** One process, or null after recording what is wrong. */
    ProcessSpec process(Node.MapNode map, String path, Values values) {
        Problems problems = values.problems();
        Node nameNode = map.get("name");
        if (nameNode == null) {
            problems.error(map.mark(), path + ".name", "missing: every process needs a name");
            return null;
        }
        Optional<String> name = values.string(nameNode, path + ".name", "a process name");
        if (name.isEmpty()) {
            return null;
        }
        ProcessSpec.Builder builder;
        try {
            builder = ProcessSpec.builder(name.get());
        } catch (RuntimeException e) {
            problems.error(nameNode.mark(), path + ".name", Problems.show("name", nameNode) + " is not accepted: "
                    + KeyTable.reason(e));
            return null;
        }
        int before = problems.errorCount();
        SpecDraft d = new SpecDraft(builder, map, path, new ProbeBinder(types, values));
        ProcessKeys.table().bind(d, map, path, values, key -> {
            if (key.startsWith("env_") && key.length() > 4) {
                d.profileEnvs.put(key.substring(4), map.get(key));
                declaredProfiles.add(key.substring(4));
                return true;
            }
            return key.equals("profiles");
        });
        profiles(d, map, path, name.get(), values);
        finish(d, values);
        if (problems.errorCount() > before) {
            return null;
        }
        try {
            return builder.build();
        } catch (RuntimeException e) {
            problems.error(map.mark(), path, KeyTable.reason(e));
            return null;
        }
    }

    /**
     * Binds the selected profile's keys over the process's own (env adds to env, any other key
     * replaces), and checks the keys and values of every other profile too, so a mistake in
     * {@code production} is found while running {@code development}.
     */
    private void profiles(SpecDraft d, Node.MapNode map, String path, String name, Values values) {
        Node node = map.get("profiles");
        if (node == null) {
            return;
        }
        String at = path + ".profiles";
        if (!(node instanceof Node.MapNode)) {
            values.wrong(node, at, "a mapping of profile names, each to the process settings that profile changes");
            return;
        }
        for (Node.Entry e : ((Node.MapNode) node).entries().values()) {
            String profileAt = at + "." + e.key();
            declaredProfiles.add(e.key());
            if (!(e.value() instanceof Node.MapNode)) {
                values.wrong(e.value(), profileAt, "a mapping of the process settings the profile '" + e.key()
                        + "' changes (env, instances, args, ...)");
                continue;
            }
            Node.MapNode overlay = (Node.MapNode) e.value();
            boolean selected = e.key().equals(profile);
            SpecDraft target = d;
            if (selected) {
                d.profile = overlay;
                d.profilePath = profileAt;
            } else {
                target = new SpecDraft(ProcessSpec.builder(name), overlay, profileAt,
                        new ProbeBinder(types, values));
            }
            for (Node.Entry k : overlay.entries().values()) {
                if (k.key().equals("name") || k.key().equals("profiles") || k.key().startsWith("env_")) {
                    values.problems().error(k.keyMark(), profileAt + "." + k.key(), "a profile cannot set "
                            + k.key() + (k.key().equals("name") ? " (a profile changes a process; it cannot rename it)"
                            : k.key().equals("profiles") ? " (profiles do not nest)"
                            : " (within a profile, write env)"));
                } else { // one entry at a time, so the errors come in file order
                    ProcessKeys.table().bind(target, new Node.MapNode(overlay.mark(), Map.of(k.key(), k)), profileAt,
                            values, key -> false);
                }
            }
        }
    }

    private void finish(SpecDraft d, Values values) {
        Problems problems = values.problems();
        try {
            if (d.user != null) {
                if (d.group != null) {
                    d.spec.user(d.user, d.group);
                } else {
                    d.spec.user(d.user);
                }
            } else if (d.group != null) {
                problems.error(d.at("group").mark(), d.pathOf("group"), "group needs user: set user as well");
            }
        } catch (RuntimeException e) {
            problems.error(d.at("user").mark(), d.pathOf("user"), KeyTable.reason(e));
        }
        if (profile != null && d.profileEnvs.containsKey(profile)) {
            String at = d.path + ".env_" + profile;
            Map<String, String> env = values.stringMap(d.profileEnvs.get(profile), at);
            if (env != null) {
                try {
                    env.forEach(d.spec::env);
                } catch (RuntimeException e) {
                    problems.error(d.profileEnvs.get(profile).mark(), at, KeyTable.reason(e));
                }
            }
        }
        try {
            d.applyRestart();
        } catch (RuntimeException e) {
            problems.error(d.node.mark(), d.path, "the restart settings do not fit together: " + KeyTable.reason(e));
        }
        if (d.logs != null) {
            try {
                d.spec.logs(d.logs.build());
            } catch (RuntimeException e) {
                problems.error(d.at("logs").mark(), d.pathOf("logs"), KeyTable.reason(e));
            }
        }
        if (d.healthCheck != null) {
            try {
                HealthCheckSugar.apply(d, values);
            } catch (RuntimeException e) {
                problems.error(d.healthCheck.mark(), d.healthCheckPath, KeyTable.reason(e));
            }
        }
    }

    /** A profile asked for that the file never names is a typo, unless the file has no profiles at all. */
    private void checkProfile(Node.MapNode root, Problems problems) {
        if (profile == null || declaredProfiles.contains(profile)) {
            return;
        }
        if (declaredProfiles.isEmpty()) {
            problems.warn(root.mark(), "profiles", "the profile '" + profile + "' was selected, but no process has"
                    + " env_" + profile + " or profiles." + profile + ": nothing changes");
            return;
        }
        problems.error(root.mark(), "profiles", "the profile '" + profile + "' was selected, but this file has no"
                + " such profile" + Human.didYouMean(profile, declaredProfiles) + " (its profiles: "
                + String.join(", ", declaredProfiles) + ")");
    }

    private void crossChecks(List<ProcessSpec> specs, Map<String, Node.MapNode> nodes,
            Map<String, Node.MapNode> declared, Values values) {
        Problems problems = values.problems();
        Set<String> names = declared.keySet();
        declared.forEach((name, map) -> {
            if (!nodes.containsKey(name) || nodes.get(name) != map) { // its spec failed: check what it names
                unknownDependencies(map, dependencyNames(map.get("dependsOn")), names, problems);
            }
        });
        for (int i = 0; i < specs.size(); i++) {
            ProcessSpec s = specs.get(i);
            Node.MapNode map = nodes.get(s.name());
            String path = pathOf(map);
            unknownDependencies(map, s.dependsOn(), names, problems);
            if (!s.instanceSettings().hasPorts()) {
                for (ProbeSettings p : s.probes()) {
                    if (p.probe().toString().contains("{port}")) {
                        Node at = map.get("readinessProbe") != null ? map.get("readinessProbe")
                                : map.get("livenessProbe") != null ? map.get("livenessProbe")
                                : map.get("startupProbe") != null ? map.get("startupProbe") : map;
                        problems.error(at.mark(), path, "a probe checks {port} (" + p.probe().describe() + "), but"
                                + " the process has no port: set basePort (instance i gets basePort + i), freePorts: true,"
                                + " or give the probe a port");
                        break;
                    }
                }
            }
        }
        cycles(specs, nodes, problems);
        ports(specs, nodes, problems);
    }

    /** The key path of a process's mapping: processes[i]. */
    private void unknownDependencies(Node.MapNode map, java.util.Collection<String> deps, Set<String> names,
            Problems problems) {
        for (String dep : deps) {
            if (!names.contains(dep)) {
                problems.error(map.get("dependsOn").mark(), pathOf(map) + ".dependsOn", "'" + dep + "' is not a"
                        + " process of this file" + Human.didYouMean(dep, names));
            }
        }
    }

    /** The names a dependsOn node gives (a list of names, or names to conditions), read as written. */
    private static List<String> dependencyNames(Node node) {
        List<String> out = new ArrayList<>();
        if (node instanceof Node.ListNode) {
            for (Node item : ((Node.ListNode) node).items()) {
                if (item instanceof Node.Scalar && ((Node.Scalar) item).value() instanceof String) {
                    out.add(((Node.Scalar) item).text());
                }
            }
        } else if (node instanceof Node.MapNode) {
            out.addAll(((Node.MapNode) node).entries().keySet());
        } else if (node instanceof Node.Scalar && ((Node.Scalar) node).value() instanceof String) {
            out.add(((Node.Scalar) node).text());
        }
        return out;
    }

    private String pathOf(Node.MapNode map) {
        return map.entries().isEmpty() ? "processes" : paths.getOrDefault(map, "processes");
    }

    private void cycles(List<ProcessSpec> specs, Map<String, Node.MapNode> nodes, Problems problems) {
        Map<String, List<String>> graph = new HashMap<>();
        specs.forEach(s -> graph.put(s.name(), s.dependsOn()));
        Set<String> done = new HashSet<>();
        for (ProcessSpec s : specs) {
            List<String> stack = new ArrayList<>();
            List<String> cycle = findCycle(s.name(), graph, new HashSet<>(), stack, done);
            if (cycle != null) {
                Node.MapNode map = nodes.get(cycle.get(0));
                problems.error(map.get("dependsOn").mark(), pathOf(map) + ".dependsOn", "dependencies form a cycle: "
                        + String.join(" -> ", cycle));
                return;
            }
        }
    }

    private static List<String> findCycle(String name, Map<String, List<String>> graph, Set<String> onPath,
            List<String> stack, Set<String> done) {
        if (done.contains(name) || !graph.containsKey(name)) {
            return null;
        }
        if (onPath.contains(name)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(name), stack.size()));
            cycle.add(name);
            return cycle;
        }
        onPath.add(name);
        stack.add(name);
        for (String dep : graph.get(name)) {
            List<String> c = findCycle(dep, graph, onPath, stack, done);
            if (c != null) {
                return c;
            }
        }
        stack.remove(stack.size() - 1);
        onPath.remove(name);
        done.add(name);
        return null;
    }

    private void ports(List<ProcessSpec> specs, Map<String, Node.MapNode> nodes, Problems problems) {
        // Sorted by first port, each range is checked against the ranges before it that reach it: no
        // pair of a thousand processes is compared needlessly.
        List<int[]> ranges = new ArrayList<>(); // from, to, index in specs
        for (int k = 0; k < specs.size(); k++) {
            ProcessSpec s = specs.get(k);
            if (s.basePort().isPresent() && s.instances() > 0) {
                int from = s.basePort().getAsInt();
                ranges.add(new int[] {from, from + s.instances() - 1, k});
            }
        }
        ranges.sort(java.util.Comparator.<int[]>comparingInt(r -> r[0]).thenComparingInt(r -> r[2]));
        int[] reach = new int[ranges.size()]; // the highest last port of ranges 0..k
        List<int[]> overlaps = new ArrayList<>(); // {later, earlier} by file order
        for (int i = 0; i < ranges.size(); i++) {
            int[] r = ranges.get(i);
            reach[i] = Math.max(r[1], i == 0 ? Integer.MIN_VALUE : reach[i - 1]);
            for (int j = i - 1; j >= 0 && reach[j] >= r[0]; j--) { // no range before j reaches r
                int[] o = ranges.get(j);
                if (o[1] >= r[0]) {
                    overlaps.add(r[2] > o[2] ? new int[] {r[2], o[2]} : new int[] {o[2], r[2]});
                }
            }
        }
        overlaps.sort(java.util.Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
        for (int[] pair : overlaps) {
            ProcessSpec s = specs.get(pair[0]);
            ProcessSpec o = specs.get(pair[1]);
            int from = s.basePort().getAsInt();
            int to = from + s.instances() - 1;
            int oFrom = o.basePort().getAsInt();
            int oTo = oFrom + o.instances() - 1;
            Node.MapNode map = nodes.get(s.name());
            Node at = map.get("basePort") != null ? map.get("basePort") : map;
            problems.error(at.mark(), pathOf(map) + ".basePort", "ports " + from + ".." + to + " overlap "
                    + o.name() + "'s " + oFrom + ".." + oTo);
        }
    }

}
