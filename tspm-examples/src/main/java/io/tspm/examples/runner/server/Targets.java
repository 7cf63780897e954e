package io.tspm.examples.runner.server;

import io.tspm.Human;
import io.tspm.LabelSelector;
import io.tspm.ProcessGroup;
import io.tspm.Supervisor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a command's target names, in the words the commands take: a process name, {@code all}, a
 * namespace, or a label selector ({@code tier=web}, {@code tier in (web,api)}). An unknown word
 * is an error naming the nearest process or namespace.
 *
 * @param word        the target as given
 * @param description the target in words, for replies ("web", "namespace jobs", "all processes")
 * @param groups      the processes it names, in the order they were added
 * @param kind        what the word was
 */
record Targets(String word, String description, List<ProcessGroup> groups, Kind kind) {

    /** What the target word was. */
    enum Kind { ALL, PROCESS, NAMESPACE, SELECTOR }

    static Targets resolve(Supervisor supervisor, String target) {
        if (target == null || target.isBlank() || target.equals("all")) {
            return new Targets("all", "all processes", supervisor.groups(), Kind.ALL);
        }
        for (ProcessGroup g : supervisor.groups()) {
            if (g.name().equals(target)) {
                return new Targets(target, target, List.of(g), Kind.PROCESS);
            }
        }
        if (supervisor.namespaces().containsKey(target)) {
            List<ProcessGroup> groups = new ArrayList<>();
            for (String name : supervisor.namespaces().get(target)) {
                groups.add(supervisor.group(name));
            }
            return new Targets(target, "namespace " + target, groups, Kind.NAMESPACE);
        }
        if (target.contains("=") || target.contains(" in ") || target.contains(" notin ") || target.startsWith("!")
                || target.contains(",")) {
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(target);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
            List<ProcessGroup> groups = supervisor.groups(selector);
            if (groups.isEmpty()) {
                throw new ApiException(404, "no process matches the selector '" + target + "'");
            }
            return new Targets(target, "selector " + target, groups, Kind.SELECTOR);
        }
        throw unknown(supervisor, target);
    }

    /**
     * One process by name, or a 404 naming the nearest process: only a process is taken here
     * ({@code scale}, {@code describe}), so a namespace is told as one, not suggested as itself.
     */
    static ProcessGroup process(Supervisor supervisor, String name) {
        List<String> known = new ArrayList<>();
        for (ProcessGroup g : supervisor.groups()) {
            if (g.name().equals(name)) {
                return g;
            }
            known.add(g.name());
        }
        List<String> members = supervisor.namespaces().get(name);
        if (members != null) {
            throw new ApiException(404, "'" + name + "' is a namespace (" + String.join(", ", members)
                    + "), not a process; name one process");
        }
        throw new ApiException(404, "no process named '" + name + "'" + Human.didYouMean(name, known)
                + " (processes: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
    }

    static ApiException unknown(Supervisor supervisor, String word) {
        Set<String> known = new LinkedHashSet<>();
        supervisor.groups().forEach(g -> known.add(g.name()));
        Set<String> namespaces = new LinkedHashSet<>(supervisor.namespaces().keySet());
        List<String> all = new ArrayList<>(known);
        all.addAll(namespaces);
        StringBuilder sb = new StringBuilder("no process or namespace named '").append(word).append("'")
                .append(Human.didYouMean(word, all));
        sb.append(" (processes: ").append(known.isEmpty() ? "none" : String.join(", ", known)).append(")");
        return new ApiException(404, sb.toString());
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        groups.forEach(g -> names.add(g.name()));
        return names;
    }
}
