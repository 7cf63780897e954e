package io.tspm.examples.runner.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The control API's own JSON: its envelopes ({@code error}, {@code ok}) and the event stream's
 * events. The shapes of the state itself (instances, processes, the snapshot, log lines, apply
 * plans) are tspm-config's {@link io.tspm.config.SnapshotJson}, for embedders too.
 */
public final class JsonShapes {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonShapes() {
    }

    /** Something that writes one value with a generator. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the value. */
        void write(JsonGenerator g) throws IOException;
    }

    /** The text {@code writer} writes. */
    public static String json(Writer writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The JSON object {@code object} with one more field, {@code name}: an array of {@code values}. */
    public static String withStrings(String object, String name, java.util.List<String> values) {
        return json(g -> {
            try (JsonParser p = FACTORY.createParser(object)) {
                p.nextToken();
                g.writeStartObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    g.writeFieldName(p.currentName());
                    p.nextToken();
                    g.copyCurrentStructure(p);
                }
                g.writeArrayFieldStart(name);
                for (String v : values) {
                    g.writeString(v);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        });
    }

    /** {@code {"error": message}}. */
    public static String error(String message) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /** {@code {"ok": true, "message": message}}. */
    public static String ok(String message) {
        return json(g -> {
            g.writeStartObject();
            g.writeBooleanField("ok", true);
            g.writeStringField("message", message);
            g.writeEndObject();
        });
    }
}
