package io.tspm;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process (group) at one moment: its spec as it runs now and each of its instances.
 *
 * @param name      the process name
 * @param namespace its namespace
 * @param labels    its labels
 * @param spec      the spec as it runs now (after a {@code scale(n)}, {@code spec().instances()} is n)
 * @param instances its instances by id
 */
public record GroupSnapshot(String name, String namespace, Map<String, String> labels, ProcessSpec spec,
        List<InstanceSnapshot> instances) {

    /** Copies the collections. */
    public GroupSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(spec, "spec");
        labels = Map.copyOf(labels);
        instances = List.copyOf(instances);
    }

    /** How many instances are RUNNING and ready. */
    public int readyCount() {
        return (int) instances.stream().filter(InstanceSnapshot::ready).count();
    }

    /** {@code web: 2/3 ready [web#0 RUNNING ready ..., ...]}. */
    @Override
    public String toString() {
        return name + ": " + readyCount() + "/" + instances.size() + " ready " + instances;
    }
}
