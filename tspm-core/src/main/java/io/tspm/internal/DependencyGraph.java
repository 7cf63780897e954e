package io.tspm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** {@code dependsOn} as a graph: checks it and runs actions in its order, independent ones in parallel. */
final class DependencyGraph {

    private DependencyGraph() {
    }

    /** Throws when a dependency is unknown or the graph has a cycle, naming them. */
    public static void check(Map<String, List<String>> dependsOn) {
        dependsOn.forEach((name, deps) -> {
            for (String d : deps) {
                if (!dependsOn.containsKey(d)) {
                    throw new IllegalStateException("process '" + name + "' depends on '" + d
                            + "', which is not declared; declared: " + dependsOn.keySet());
                }
            }
        });
        Map<String, Integer> mark = new HashMap<>();
        for (String name : dependsOn.keySet()) {
            visit(name, dependsOn, mark, new ArrayList<>());
        }
    }

    private static void visit(String name, Map<String, List<String>> g, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(name);
        if (m != null && m == 2) {
            return;
        }
        path.add(name);
        if (m != null && m == 1) {
            List<String> cycle = path.subList(path.indexOf(name), path.size());
            throw new IllegalStateException("dependsOn has a cycle: " + String.join(" -> ", cycle));
        }
        mark.put(name, 1);
        for (String d : g.getOrDefault(name, List.of())) {
            visit(d, g, mark, path);
        }
        mark.put(name, 2);
        path.remove(path.size() - 1);
    }

    /** {@code selected} in an order where each comes after what it depends on (the graph is checked). */
    static List<String> topological(Set<String> selected, Map<String, List<String>> dependsOn) {
        List<String> out = new ArrayList<>();
        Set<String> done = new java.util.HashSet<>();
        for (String n : selected) {
            place(n, selected, dependsOn, done, out);
        }
        return out;
    }

    private static void place(String n, Set<String> selected, Map<String, List<String>> g, Set<String> done,
            List<String> out) {
        if (!done.add(n)) {
            return;
        }
        for (String d : g.getOrDefault(n, List.of())) {
            if (selected.contains(d)) {
                place(d, selected, g, done, out);
            }
        }
        out.add(n);
    }

    /** {@code names} plus everything they depend on, transitively. */
    public static Set<String> withDependencies(Set<String> names, Map<String, List<String>> dependsOn) {
        Set<String> out = new java.util.LinkedHashSet<>();
        List<String> todo = new ArrayList<>(names);
        while (!todo.isEmpty()) {
            String n = todo.remove(todo.size() - 1);
            if (out.add(n)) {
                todo.addAll(dependsOn.getOrDefault(n, List.of()));
            }
        }
        return out;
    }

    /** Every process that depends on {@code name}, directly or transitively (not {@code name} itself). */
    public static Set<String> dependentsOf(String name, Map<String, List<String>> dependsOn) {
        Set<String> out = new java.util.LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(name));
        while (!todo.isEmpty()) {
            String n = todo.remove(todo.size() - 1);
            dependsOn.forEach((dependent, deps) -> {
                if (deps.contains(n) && out.add(dependent)) {
                    todo.add(dependent);
                }
            });
        }
        out.remove(name);
        return out;
    }

    /**
     * Runs {@code action} on each of {@code selected} after the actions of its dependencies (or, when
     * {@code reverse}, of its dependents) among {@code selected} completed. In forward order a failed
     * dependency fails its dependents without running them; in reverse every action runs.
     */
    public static CompletableFuture<Void> inOrder(Set<String> selected, Map<String, List<String>> dependsOn,
            boolean reverse, Function<String, CompletableFuture<?>> action) {
        Map<String, List<String>> before = new LinkedHashMap<>();
        for (String n : selected) {
            before.put(n, new ArrayList<>());
        }
        for (String n : selected) {
            for (String d : dependsOn.getOrDefault(n, List.of())) {
                if (selected.contains(d)) {
                    if (reverse) {
                        before.get(d).add(n);
                    } else {
                        before.get(n).add(d);
                    }
                }
            }
        }
        Map<String, CompletableFuture<Void>> done = new HashMap<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String n : selected) {
            all.add(future(n, before, reverse, action, done));
        }
        return reverse ? CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
                : Completion.allOrFirstFailure(all);
    }

    private static CompletableFuture<Void> future(String n, Map<String, List<String>> before, boolean reverse,
            Function<String, CompletableFuture<?>> action, Map<String, CompletableFuture<Void>> done) {
        CompletableFuture<Void> f = done.get(n);
        if (f != null) {
            return f;
        }
        List<String> prereqs = before.get(n);
        CompletableFuture<?>[] pre = new CompletableFuture<?>[prereqs.size()];
        for (int i = 0; i < pre.length; i++) {
            pre[i] = future(prereqs.get(i), before, reverse, action, done);
        }
        CompletableFuture<Void> gate = reverse ? CompletableFuture.allOf(pre) : Completion.allOrFirstFailure(List.of(pre));
        if (reverse) {
            gate = gate.handle((x, e) -> null);
        }
        f = gate.thenCompose(x -> action.apply(n)).thenApply(x -> null);
        done.put(n, f);
        return f;
    }
}
