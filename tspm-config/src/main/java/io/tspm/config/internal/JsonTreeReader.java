package io.tspm.config.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into the tree with Jackson's streaming parser: strict JSON plus {@code //} comments
 * (PM2's {@code .json} files have them), trailing commas for JSONC, and for a JavaScript literal
 * also unquoted keys and single quotes. Jackson's stream constraints bound nesting and sizes.
 */
public final class JsonTreeReader {

    /** How lenient the syntax is. */
    public enum Dialect {
        /** JSON with comments. */
        JSON,
        /** JSON with comments and trailing commas. */
        JSONC,
        /** A JavaScript object literal: also unquoted keys and single quotes. */
        JS_LITERAL
    }

    private final Limits limits;
    private final Dialect dialect;

    /** A reader of {@code dialect} within {@code limits}. */
    public JsonTreeReader(Limits limits, Dialect dialect) {
        this.limits = limits;
        this.dialect = dialect;
    }

    /** The tree of the document, or null after recording why it could not be read. */
    public Node read(Reader reader, String source, Problems problems) {
        com.fasterxml.jackson.core.JsonFactoryBuilder fb = (com.fasterxml.jackson.core.JsonFactoryBuilder) JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxChars()).maxNumberLength(1000).maxDocumentLength(limits.maxChars())
                        .build())
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS);
        if (dialect != Dialect.JSON) {
            fb.enable(JsonReadFeature.ALLOW_TRAILING_COMMA);
        }
        if (dialect == Dialect.JS_LITERAL) {
            fb.enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES).enable(JsonReadFeature.ALLOW_SINGLE_QUOTES);
        }
        try (JsonParser p = fb.build().createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Node.MapNode(new Node.Mark(source, 1, 1), Map.of());
            }
            long[] count = {0};
            Node root = value(p, source, problems, count);
            if (dialect != Dialect.JS_LITERAL && p.nextToken() != null) {
                problems.error(mark(source, p.currentTokenLocation()), "", "not valid JSON: more after the end of"
                        + " the document");
            }
            return root;
        } catch (StreamConstraintsException e) {
            problems.error(location(source, e), "", "too large: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            problems.error(location(source, e), "", syntax(e));
        } catch (IOException e) {
            problems.error(new Node.Mark(source, 1, 1), "", "could not be read: " + e.getMessage());
        }
        return null;
    }

    private String syntax(JsonProcessingException e) {
        String what = dialect == Dialect.JS_LITERAL ? "not a plain JavaScript literal" : "not valid JSON";
        return what + ": " + e.getOriginalMessage().replaceAll("\\s+", " ");
    }

    private Node value(JsonParser p, String source, Problems problems, long[] count) throws IOException {
        Node.Mark mark = mark(source, p.currentTokenLocation());
        if (++count[0] > limits.maxNodes()) {
            throw new StreamConstraintsException("more than " + limits.maxNodes() + " values");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Node.Mark keyMark = mark(source, p.currentTokenLocation());
                    p.nextToken();
                    Node v = value(p, source, problems, count);
                    if (entries.containsKey(key)) {
                        problems.error(keyMark, key, "duplicate key (first at line "
                                + entries.get(key).keyMark().line() + ")");
                        continue;
                    }
                    entries.put(key, new Node.Entry(key, keyMark, v));
                }
                return new Node.MapNode(mark, entries);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, source, problems, count));
                }
                return new Node.ListNode(mark, items);
            }
            case VALUE_STRING:
                return new Node.Scalar(mark, p.getText(), p.getText());
            case VALUE_NUMBER_INT: {
                String text = p.getText();
                Object v = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
                return new Node.Scalar(mark, text, v);
            }
            case VALUE_NUMBER_FLOAT:
                return new Node.Scalar(mark, p.getText(), p.getDoubleValue());
            case VALUE_TRUE:
                return new Node.Scalar(mark, "true", Boolean.TRUE);
            case VALUE_FALSE:
                return new Node.Scalar(mark, "false", Boolean.FALSE);
            case VALUE_NULL:
                return new Node.Scalar(mark, "null", null);
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
        }
    }

    private static Node.Mark location(String source, JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null ? new Node.Mark(source, 1, 1) : mark(source, l);
    }

    private static Node.Mark mark(String source, JsonLocation l) {
        return new Node.Mark(source, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }
}
