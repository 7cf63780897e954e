package io.tspm.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The environment one spawn gives its child, in two layers: a {@link Base} that many spawns share
 * (the variables inherited from the JVM, less the spec's removals) and the few variables of this
 * spawn on top (the env file's, the spec's own with their placeholders expanded, the probes', and
 * the supervisor's: name, instance id, port). A spawn used to copy the JVM's whole environment
 * and walk it again to encode it; now it copies the few, and the native spawner encodes a shared
 * base once.
 */
final class ChildEnvironment {

    /** Variables shared by many spawns; never changed once made. */
    static final class Base {
        static final Base EMPTY = new Base(Map.of(), false);

        final Map<String, String> variables;
        /** Whether these are exactly the JVM's own variables (the JDK path then adds only the top layer). */
        final boolean jvmEnvironment;
        /** The native spawner's encoded form of {@link #variables}; made once, racily. */
        volatile Encoded encoded;
        /** {@link #variables}' keys, in one fixed order, for {@link #encoded}. */
        final String[] keys;

        private Base(Map<String, String> variables, boolean jvmEnvironment) {
            this.variables = variables;
            this.jvmEnvironment = jvmEnvironment;
            this.keys = variables.keySet().toArray(new String[0]);
        }
    }

    /**
     * A base's variables as a child's {@code envp} holds them: {@code key=value} C strings, in
     * {@link Base#keys} order, one by one and as one block (each string followed by its NUL), with
     * where each starts in the block. A spawn that overrides none of them copies the block whole.
     */
    static final class Encoded {
        final byte[][] variables;
        final byte[] block;
        final int[] starts;

        Encoded(byte[][] variables) {
            this.variables = variables;
            this.starts = new int[variables.length];
            int size = 0;
            for (int i = 0; i < variables.length; i++) {
                starts[i] = size;
                size += variables[i].length + 1;
            }
            this.block = new byte[size];
            for (int i = 0; i < variables.length; i++) {
                System.arraycopy(variables[i], 0, block, starts[i], variables[i].length);
            }
        }
    }

    /** The bases of inheriting specs, by the set of variables each removes (most remove none). */
    static final class Bases {
        private static final int MAX = 64;
        private final Map<Set<String>, Base> inherited = new ConcurrentHashMap<>();

        /** The JVM's environment less {@code removed} (or, past the bound, a base of its own). */
        Base inherited(Set<String> removed) {
            Base b = inherited.get(removed);
            if (b == null) {
                b = make(removed);
                if (inherited.size() < MAX) {
                    Base raced = inherited.putIfAbsent(Set.copyOf(removed), b);
                    b = raced != null ? raced : b;
                }
            }
            return b;
        }

        private static Base make(Set<String> removed) {
            Map<String, String> jvm = System.getenv();
            if (removed.isEmpty() || Collections.disjoint(removed, jvm.keySet())) {
                return new Base(jvm, true);
            }
            Map<String, String> vars = new HashMap<>(jvm);
            vars.keySet().removeAll(removed);
            return new Base(Collections.unmodifiableMap(vars), false);
        }
    }

    private final Base base;
    /** This spawn's variables, over the base's; a null value removes the base's variable. */
    private final Map<String, String> own = new LinkedHashMap<>();

    ChildEnvironment(Base base) {
        this.base = base;
    }

    /** An environment of exactly {@code variables} (a copy), no layer shared. */
    static ChildEnvironment of(Map<String, String> variables) {
        ChildEnvironment e = new ChildEnvironment(Base.EMPTY);
        e.own.putAll(variables);
        return e;
    }

    Base base() {
        return base;
    }

    /**
     * Sets a variable; refuses what the JDK's ProcessBuilder refuses (a child's {@code envp} has no
     * room for it): a null, a name holding '=' or a NUL, a value holding a NUL.
     */
    void put(String key, String value) {
        if (key == null || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment variable name " + (key == null ? "null"
                    : "'" + key.replace("\0", "\\0") + "'") + " is not one a process can be given (expected no '=' and"
                    + " no NUL)");
        }
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment variable " + key + " has " + (value == null
                    ? "a null value" : "a value holding a NUL character") + " (expected a string without NUL)");
        }
        own.put(key, value);
    }

    /** Removes {@code key} from both layers. */
    void remove(String key) {
        if (base.variables.containsKey(key)) {
            own.put(key, null);
        } else {
            own.remove(key);
        }
    }

    String get(String key) {
        return own.containsKey(key) ? own.get(key) : base.variables.get(key);
    }

    /** Whether this spawn's layer has a say on {@code key} (sets or removes it), so the base's value does not count. */
    boolean overrides(String key) {
        return own.containsKey(key);
    }

    /** This spawn's layer, not to be changed: what it sets (null values: what it removes from the base). */
    Map<String, String> own() {
        return own;
    }

    /** Every variable the child gets: the base's that this spawn does not override, then this spawn's. */
    void forEach(BiConsumer<String, String> action) {
        for (Map.Entry<String, String> e : base.variables.entrySet()) {
            if (!own.containsKey(e.getKey())) {
                action.accept(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : own.entrySet()) {
            if (e.getValue() != null) {
                action.accept(e.getKey(), e.getValue());
            }
        }
    }

    /** The variables as one map (a copy). */
    Map<String, String> toMap() {
        Map<String, String> m = new HashMap<>(base.variables.size() + own.size());
        forEach(m::put);
        return m;
    }

    /** Makes {@code pb}'s environment this one (the JDK's own copy of the JVM's, changed only where needed). */
    void applyTo(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        if (!base.jvmEnvironment) {
            env.clear();
            forEach(env::put);
            return;
        }
        for (Map.Entry<String, String> e : own.entrySet()) {
            if (e.getValue() == null) {
                env.remove(e.getKey());
            } else {
                env.put(e.getKey(), e.getValue());
            }
        }
    }
}
