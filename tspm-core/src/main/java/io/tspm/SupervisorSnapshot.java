package io.tspm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a supervisor runs, at one moment, as one immutable value: what the control API, the
 * metrics, the status table and a saved state all read. Taken by {@link Supervisor#snapshot()}.
 *
 * @param name      the supervisor's name
 * @param startedAt when it was last started, by its clock; empty before the first start
 * @param takenAt   when this snapshot was taken, by its clock
 * @param groups    every process, in the order they were added
 */
public record SupervisorSnapshot(String name, Optional<Instant> startedAt, Instant takenAt,
        List<GroupSnapshot> groups) {

    /** Copies the list. */
    public SupervisorSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(takenAt, "takenAt");
        groups = List.copyOf(groups);
    }

    /** The process named {@code processName}, if there is one. */
    public Optional<GroupSnapshot> group(String processName) {
        return groups.stream().filter(g -> g.name().equals(processName)).findFirst();
    }

    /** Every instance of every process, process by process. */
    public List<InstanceSnapshot> instances() {
        List<InstanceSnapshot> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.instances()));
        return all;
    }

    /** The processes whose labels {@code selector} matches. */
    public List<GroupSnapshot> groups(LabelSelector selector) {
        Objects.requireNonNull(selector, "selector");
        return groups.stream().filter(g -> selector.matches(g.labels())).toList();
    }

    /** Each namespace with the names of its processes, namespaces in order of their first process. */
    public Map<String, List<String>> namespaces() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        groups.forEach(g -> out.computeIfAbsent(g.namespace(), n -> new ArrayList<>()).add(g.name()));
        out.replaceAll((n, names) -> List.copyOf(names));
        return java.util.Collections.unmodifiableMap(out);
    }
}
