package io.tspm.config.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one intermediate tree both parsers produce: mappings, lists and scalars, each with the
 * position it starts at, so the binder reports every error at its line whatever the format.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.Scalar {

    /** Where the node starts. */
    Mark mark();

    /** What the node is, for "expected a number, but was a list". */
    String describe();

    /**
     * A position in a source.
     *
     * @param source the file name or the label of a string
     * @param line   1-based
     * @param column 1-based
     */
    record Mark(String source, int line, int column) {
        @Override
        public String toString() {
            return source + ":" + line + ":" + column;
        }
    }

    /** A mapping entry: its key with the key's own position, and its value. */
    record Entry(String key, Mark keyMark, Node value) {
    }

    /** A mapping, in file order. */
    record MapNode(Mark mark, Map<String, Entry> entries) implements Node {
        /** Keeps the order. */
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** The value of {@code key}, or null. */
        public Node get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A list. */
    record ListNode(Mark mark, List<Node> items) implements Node {
        /** Copies the items. */
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar: a string, a whole number (Long or BigInteger), a decimal (Double), a Boolean, or
     * null, as the format typed it.
     *
     * @param text  the text as written (for messages)
     * @param value the typed value
     */
    record Scalar(Mark mark, String text, Object value) implements Node {
        @Override
        public String describe() {
            if (value == null) {
                return "null";
            } else if (value instanceof String) {
                return "'" + text + "' (a string)";
            } else if (value instanceof Boolean) {
                return text + " (a boolean)";
            }
            return text + " (a number)";
        }
    }
}
