package io.tspm;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The environment a process starts with: the host JVM's (unless not inherited), then a dotenv
 * file read at every spawn, then the variables set here, minus the ones removed. The supervisor
 * adds the process name, the instance id and the port on top.
 */
public final class Environment {

    private static final Environment INHERITED = new Builder().build();

    private final boolean inherit;
    private final Map<String, String> variables;
    private final Set<String> removed;
    private final Path envFile;

    private Environment(Builder b) {
        this.inherit = b.inherit;
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(b.variables));
        this.removed = Collections.unmodifiableSet(new LinkedHashSet<>(b.removed));
        this.envFile = b.envFile;
    }

    /** The host JVM's environment, nothing changed. */
    public static Environment inherited() {
        return INHERITED;
    }

    /** A builder that starts from {@link #inherited()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inherit = inherit;
        b.variables.putAll(variables);
        b.removed.addAll(removed);
        b.envFile = envFile;
        return b;
    }

    /** Whether the child starts from the host JVM's environment. */
    public boolean inherit() {
        return inherit;
    }

    /** Variables set for the child, over the inherited environment and the env file. */
    public Map<String, String> variables() {
        return variables;
    }

    /** Inherited variables removed for the child. */
    public Set<String> removed() {
        return removed;
    }

    /** The dotenv file read at every spawn, if any. */
    public Optional<Path> envFile() {
        return Optional.ofNullable(envFile);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Environment && ((Environment) o).inherit == inherit
                && ((Environment) o).variables.equals(variables) && ((Environment) o).removed.equals(removed)
                && Objects.equals(((Environment) o).envFile, envFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inherit, variables, removed, envFile);
    }

    /** What is set; values shown by key only, since they may be secrets. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Environment{");
        if (!inherit) {
            sb.append("not inherited, ");
        }
        if (!variables.isEmpty()) {
            sb.append("set ").append(variables.keySet()).append(", ");
        }
        if (!removed.isEmpty()) {
            sb.append("removed ").append(removed).append(", ");
        }
        if (envFile != null) {
            sb.append("envFile=").append(envFile).append(", ");
        }
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 2);
        }
        return sb.append('}').toString();
    }

    /** Builds an {@link Environment}; each setter checks its value. */
    public static final class Builder {
        private boolean inherit = true;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();
        private Path envFile;

        Builder() {
        }

        /** Whether the child starts from the host JVM's environment (default true). */
        public Builder inherit(boolean inherit) {
            this.inherit = inherit;
            return this;
        }

        /** Sets one variable (and no longer removes it). */
        public Builder put(String key, String value) {
            Checks.envKey(key);
            Objects.requireNonNull(value, "env value of " + key);
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env value of " + key + " must not contain a NUL character");
            }
            variables.put(key, value);
            removed.remove(key);
            return this;
        }

        /** Replaces the variables set with {@code variables}. */
        public Builder variables(Map<String, String> variables) {
            Objects.requireNonNull(variables, "env");
            this.variables.clear();
            variables.forEach(this::put);
            return this;
        }

        /** Removes an inherited variable (and no longer sets it). */
        public Builder remove(String key) {
            Checks.envKey(key);
            variables.remove(key);
            removed.add(key);
            return this;
        }

        /** Replaces the removed variables with {@code keys}. */
        public Builder removed(java.util.Collection<String> keys) {
            Objects.requireNonNull(keys, "removeEnv");
            this.removed.clear();
            keys.forEach(this::remove);
            return this;
        }

        /**
         * A dotenv file ({@code KEY=value} lines, {@code #} comments, optional {@code export}, single
         * or double quotes) read at every spawn; its variables go under the ones set here.
         */
        public Builder envFile(Path file) {
            this.envFile = Objects.requireNonNull(file, "envFile");
            return this;
        }

        /** No env file. */
        public Builder clearEnvFile() {
            this.envFile = null;
            return this;
        }

        public Environment build() {
            return new Environment(this);
        }
    }
}
