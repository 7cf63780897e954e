package io.tspm.config.internal;

import java.io.Reader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads YAML into the tree through snakeyaml-engine's composer (YAML 1.2 core schema), with limits
 * that keep hostile input from taking the JVM down: aliases, nesting, size, and the number of
 * nodes aliases may expand to.
 */
public final class YamlTreeReader {

    private static final FastJsonSchema SCHEMA = new FastJsonSchema();

    private final Limits limits;

    /** A reader within {@code limits}. */
    public YamlTreeReader(Limits limits) {
        this.limits = limits;
    }

    /** The tree of {@code reader}'s document, or null after recording why it could not be read. */
    public Node read(Reader reader, String source, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(true)
                .setAllowRecursiveKeys(false).setMaxAliasesForCollections(limits.maxAliases())
                .setCodePointLimit(limits.maxChars()).setUseMarks(true).setSchema(SCHEMA).build();
        Optional<org.snakeyaml.engine.v2.nodes.Node> root;
        try {
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, reader))).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            Node.Mark at = e.getProblemMark().map(m -> mark(source, m)).orElse(new Node.Mark(source, 1, 1));
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            problems.error(at, "", "not valid YAML: " + context + e.getProblem());
            return null;
        } catch (YamlEngineException e) {
            problems.error(new Node.Mark(source, 1, 1), "", "not valid YAML: " + e.getMessage());
            return null;
        } catch (StackOverflowError e) {
            problems.error(new Node.Mark(source, 1, 1), "", "nested too deeply (at most " + limits.maxDepth()
                    + " levels)");
            return null;
        }
        if (root.isEmpty()) {
            return new Node.MapNode(new Node.Mark(source, 1, 1), Map.of());
        }
        Counter counter = new Counter();
        try {
            return convert(root.get(), source, problems, 0, counter);
        } catch (TooLarge e) {
            problems.error(e.mark, "", e.getMessage());
            return null;
        }
    }

    private Node convert(org.snakeyaml.engine.v2.nodes.Node n, String source, Problems problems, int depth,
            Counter counter) {
        Node.Mark mark = n.getStartMark().map(m -> mark(source, m)).orElse(new Node.Mark(source, 1, 1));
        if (depth > limits.maxDepth()) {
            throw new TooLarge(mark, "nested too deeply (at most " + limits.maxDepth() + " levels)");
        }
        if (++counter.nodes > limits.maxNodes()) {
            throw new TooLarge(mark, "too many values (more than " + limits.maxNodes()
                    + "; aliases expanding to a huge document are refused)");
        }
        if (n instanceof MappingNode) {
            Map<String, Node.Entry> entries = new LinkedHashMap<>();
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                org.snakeyaml.engine.v2.nodes.Node k = t.getKeyNode();
                Node.Mark keyMark = k.getStartMark().map(m -> mark(source, m)).orElse(mark);
                if (!(k instanceof ScalarNode)) {
                    problems.error(keyMark, "", "a key must be a plain string, but was a "
                            + (k instanceof MappingNode ? "mapping" : "list"));
                    continue;
                }
                String key = ((ScalarNode) k).getValue();
                Node value = convert(t.getValueNode(), source, problems, depth + 1, counter);
                if (entries.containsKey(key)) {
                    problems.error(keyMark, key, "duplicate key (first at line " + entries.get(key).keyMark().line()
                            + ")");
                    continue;
                }
                entries.put(key, new Node.Entry(key, keyMark, value));
            }
            return new Node.MapNode(mark, entries);
        } else if (n instanceof SequenceNode) {
            List<Node> items = new ArrayList<>();
            for (org.snakeyaml.engine.v2.nodes.Node item : ((SequenceNode) n).getValue()) {
                items.add(convert(item, source, problems, depth + 1, counter));
            }
            return new Node.ListNode(mark, items);
        }
        ScalarNode s = (ScalarNode) n;
        return new Node.Scalar(mark, s.getValue(), typed(s));
    }

    private static Object typed(ScalarNode s) {
        Tag tag = s.getTag();
        String text = s.getValue();
        try {
            if (tag.equals(Tag.NULL)) {
                return null;
            } else if (tag.equals(Tag.BOOL)) {
                return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
            } else if (tag.equals(Tag.INT)) {
                BigInteger big = text.startsWith("0x") ? new BigInteger(text.substring(2), 16)
                        : text.startsWith("0o") ? new BigInteger(text.substring(2), 8)
                        : new BigInteger(text.startsWith("+") ? text.substring(1) : text);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            } else if (tag.equals(Tag.FLOAT)) {
                return Double.valueOf(text.replace(".inf", "Infinity").replace(".nan", "NaN").replace(".Inf",
                        "Infinity").replace(".NaN", "NaN"));
            }
        } catch (NumberFormatException e) {
            return text;
        }
        return text;
    }

    private static Node.Mark mark(String source, Mark m) {
        return new Node.Mark(source, m.getLine() + 1, m.getColumn() + 1);
    }

    private static final class Counter {
        long nodes;
    }

    /** A document past a limit. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Node.Mark mark;

        TooLarge(Node.Mark mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }
}
