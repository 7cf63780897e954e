package io.tspm.config.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tspm.ProcessSpec;
import io.tspm.config.SupervisorSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Writes specs as our format through the key tables: every setting that is not the default. */
public final class SpecWriter {

    private SpecWriter() {
    }

    /** The document: {@code supervisor:} when anything is set, then {@code processes:}. */
    public static Map<String, Object> document(SupervisorSettings supervisor, List<ProcessSpec> specs) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> sup = SupervisorKeys.table().write(supervisor);
        if (!sup.isEmpty()) {
            doc.put("supervisor", sup);
        }
        List<Object> processes = new ArrayList<>();
        for (ProcessSpec s : specs) {
            try {
                processes.add(ProcessKeys.table().write(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("process '" + s.name() + "' cannot be written: " + e.getMessage(), e);
            }
        }
        doc.put("processes", processes);
        return doc;
    }

    /** As YAML, block style. */
    public static String yaml(Map<String, Object> document) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(120).build();
        return new Dump(settings).dumpToString(document);
    }

    /** As JSON, indented. */
    public static String json(Map<String, Object> document) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g, document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString() + "\n";
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v == null) {
            g.writeNull();
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
