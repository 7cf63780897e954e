package io.tspm.config.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One row of a key table: the key as a file writes it, the names it also answers to, its JSON
 * Schema, what it means, how it is bound onto a builder and how it is written back from a value.
 * The binder, the writer and the schema all read the same rows, so they cannot drift apart.
 *
 * @param <C> what the key is bound onto (a draft of a spec, a log settings builder, ...)
 * @param <S> the value it is written back from
 */
public final class Key<C, S> {

    /** Binds one value onto the context; records wrong values through {@code values}. */
    @FunctionalInterface
    public interface Bind<C> {
        /** Binds {@code node} found at {@code path}. */
        void apply(C context, Node node, String path, Values values);
    }

    private final String name;
    private final List<String> aliases;
    private final Map<String, Object> schema;
    private final String description;
    private final Bind<C> bind;
    private final Function<S, Object> write;

    Key(String name, List<String> aliases, Map<String, Object> schema, String description, Bind<C> bind,
            Function<S, Object> write) {
        this.name = name;
        this.aliases = List.copyOf(aliases);
        this.schema = schema;
        this.description = description;
        this.bind = bind;
        this.write = write;
    }

    /** A key bound with {@code bind} and written with {@code write} (null for a key that is read only). */
    public static <C, S> Key<C, S> of(String name, Map<String, Object> schema, String description, Bind<C> bind,
            Function<S, Object> write) {
        return new Key<>(name, List.of(), schema, description, bind, write);
    }

    /** This key also answering to {@code names}. */
    public Key<C, S> alias(String... names) {
        return new Key<>(name, List.of(names), schema, description, bind, write);
    }

    /** The key as a file writes it. */
    public String name() {
        return name;
    }

    /** Other names a file may use. */
    public List<String> aliases() {
        return aliases;
    }

    /** Its JSON Schema. */
    public Map<String, Object> schema() {
        return schema;
    }

    /** What it means. */
    public String description() {
        return description;
    }

    /** Binds a value. */
    public void bind(C context, Node node, String path, Values values) {
        bind.apply(context, node, path, values);
    }

    /** The value to write for {@code value}, or null when it is the default (or the key is read only). */
    public Object write(S value) {
        return write == null ? null : write.apply(value);
    }

    /** Whether the writer writes this key. */
    public boolean written() {
        return write != null;
    }
}
