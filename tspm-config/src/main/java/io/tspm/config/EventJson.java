package io.tspm.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tspm.event.SupervisorEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A supervisor event as JSON, the shape webhooks and the runner's event stream send:
 * {@code {"type":"process-exited","time":"2026-...Z","process":"web","instanceId":0,...}} — the
 * type in kebab-case, then every field of the event record by its name; times as ISO-8601,
 * durations in milliseconds, empty optionals as null, enums by name.
 */
public final class EventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {
    }

    /** The event's type in kebab-case: {@code ProcessExited} is {@code process-exited}. */
    public static String type(SupervisorEvent event) {
        String simple = event.getClass().getSimpleName();
        StringBuilder sb = new StringBuilder(simple.length() + 4);
        for (int k = 0; k < simple.length(); k++) {
            char c = simple.charAt(k);
            if (Character.isUpperCase(c) && k > 0) {
                sb.append('-');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /** The event as one JSON object. */
    public static String of(SupervisorEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type(event));
            if (event.getClass().isRecord()) {
                for (RecordComponent c : event.getClass().getRecordComponents()) {
                    g.writeFieldName(c.getName());
                    value(g, c.getAccessor().invoke(event));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + event.getClass().getName(), e);
        }
        return out.toString();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Instant t) {
            g.writeString(t.toString());
        } else if (v instanceof Duration d) {
            g.writeNumber(d.toMillis());
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name().toLowerCase(Locale.ROOT));
        } else if (v instanceof Optional<?> o) {
            value(g, o.orElse(null));
        } else if (v instanceof OptionalLong o) {
            value(g, o.isPresent() ? o.getAsLong() : null);
        } else if (v instanceof OptionalInt o) {
            value(g, o.isPresent() ? o.getAsInt() : null);
        } else if (v instanceof OptionalDouble o) {
            value(g, o.isPresent() ? o.getAsDouble() : null);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Record r) {
            g.writeStartObject();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                g.writeFieldName(c.getName());
                try {
                    value(g, c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + r.getClass().getName(), e);
                }
            }
            g.writeEndObject();
        } else {
            g.writeString(v.toString());
        }
    }
}
