package io.tspm;

import java.util.Objects;

/**
 * A process another one needs, and what it waits for in it. The dependent starts once the
 * condition holds and stops before its dependency.
 *
 * @param name      the process depended on
 * @param condition what the dependent waits for (default {@link DependencyCondition#READY})
 */
public record Dependency(String name, DependencyCondition condition) {

    /** Checks both. */
    public Dependency {
        ProcessSpec.checkName("dependsOn", name);
        Objects.requireNonNull(condition, "condition of " + name);
    }

    @Override
    public String toString() {
        return condition == DependencyCondition.READY ? name : name + " (" + condition.name().toLowerCase(
                java.util.Locale.ROOT) + ")";
    }
}
