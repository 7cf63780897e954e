package io.tspm.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tspm.ApplyPlan;
import io.tspm.ExitRecord;
import io.tspm.ExitStatus;
import io.tspm.GroupSnapshot;
import io.tspm.InstanceSnapshot;
import io.tspm.OutputLine;
import io.tspm.ProbeStatus;
import io.tspm.SupervisorSnapshot;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of a supervisor's state, as the runner's control API serves them and an
 * embedding application can serve them too: one instance (a row of {@code jlist}), every instance,
 * one process with its exit histories and spec ({@code describe}), the whole snapshot, a log line
 * and an apply plan. Field names are stable; new fields may be added, none is renamed. Events
 * have theirs in {@link EventJson}.
 */
public final class SnapshotJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private SnapshotJson() {
    }

    /** Every instance of every process, in order, as a JSON array: {@code jlist}. */
    public static String instances(SupervisorSnapshot snapshot) {
        return json(g -> instances(g, snapshot));
    }

    /**
     * One instance: {@code name}, {@code namespace}, {@code id}, {@code status}, {@code ready},
     * {@code pid}, {@code port}, {@code restarts}, {@code uptimeMs}, {@code startedAt},
     * {@code cpuPercent}, {@code memoryBytes}, {@code lastExit}, {@code failureReason}, {@code crashes}.
     */
    public static String instance(InstanceSnapshot instance) {
        return json(g -> instance(g, instance));
    }

    /**
     * One process for {@code describe}: its name, namespace, labels, counts, the spec as YAML
     * ({@code specYaml}), and each instance with its probes and its exit history ({@code exits} by
     * instance id).
     */
    public static String process(GroupSnapshot group, Map<Integer, List<ExitRecord>> exits, String specYaml) {
        return json(g -> process(g, group, exits, specYaml));
    }

    /** The whole snapshot: the supervisor and each process with its instances. */
    public static String snapshot(SupervisorSnapshot snapshot) {
        return json(g -> snapshot(g, snapshot));
    }

    /** Something that writes one value with a generator. */
    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Writer writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes every instance of every process. */
    static void instances(JsonGenerator g, SupervisorSnapshot snapshot) throws IOException {
        g.writeStartArray();
        for (GroupSnapshot group : snapshot.groups()) {
            for (InstanceSnapshot i : group.instances()) {
                instance(g, i);
            }
        }
        g.writeEndArray();
    }

    /** Writes one instance. */
    static void instance(JsonGenerator g, InstanceSnapshot i) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", i.process());
        g.writeStringField("namespace", i.namespace());
        g.writeNumberField("id", i.instanceId());
        g.writeStringField("status", i.state().name().toLowerCase(java.util.Locale.ROOT));
        g.writeBooleanField("ready", i.ready());
        nullableLong(g, "pid", i.pid().isPresent() ? i.pid().getAsLong() : null);
        nullableLong(g, "port", i.port().isPresent() ? (long) i.port().getAsInt() : null);
        g.writeNumberField("restarts", i.restarts());
        g.writeNumberField("uptimeMs", i.uptime().toMillis());
        g.writeStringField("startedAt", i.startedAt().map(Object::toString).orElse(null));
        if (i.resources().isPresent()) {
            g.writeNumberField("cpuPercent", round(i.resources().get().cpuPercent()));
            nullableLong(g, "memoryBytes", i.resources().get().memoryBytes().isPresent()
                    ? i.resources().get().memoryBytes().getAsLong() : null);
        } else {
            g.writeNullField("cpuPercent");
            g.writeNullField("memoryBytes");
        }
        g.writeFieldName("lastExit");
        if (i.lastExit().isPresent()) {
            exit(g, i.lastExit().get());
        } else {
            g.writeNull();
        }
        g.writeStringField("failureReason", i.failureReason().orElse(null));
        g.writeNumberField("crashes", i.crashStats().crashes());
        g.writeEndObject();
    }

    /** Writes one process. */
    static void process(JsonGenerator g, GroupSnapshot group, Map<Integer, List<ExitRecord>> exits,
            String specYaml) throws IOException {
        g.writeStartObject();
        identity(g, group);
        g.writeNumberField("instanceCount", group.instances().size());
        g.writeNumberField("readyCount", group.readyCount());
        g.writeStringField("spec", specYaml);
        g.writeArrayFieldStart("instances");
        for (InstanceSnapshot i : group.instances()) {
            g.writeStartObject();
            g.writeFieldName("instance");
            instance(g, i);
            g.writeArrayFieldStart("probes");
            for (ProbeStatus p : i.probes()) {
                g.writeStartObject();
                g.writeStringField("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("probe", p.probe());
                g.writeBooleanField("passing", p.passing());
                g.writeStringField("message", p.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("exits");
            for (ExitRecord r : exits.getOrDefault(i.instanceId(), List.of())) {
                g.writeStartObject();
                g.writeStringField("time", r.time().toString());
                g.writeNumberField("pid", r.pid());
                g.writeFieldName("status");
                exit(g, r.status());
                g.writeNumberField("uptimeMs", r.uptime().toMillis());
                g.writeBooleanField("requested", r.requested());
                g.writeBooleanField("crash", r.isCrash());
                g.writeStringField("decision", r.decision().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("reason", r.reason().orElse(null));
                g.writeArrayFieldStart("lastOutput");
                for (String line : r.lastOutput()) {
                    g.writeString(line);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Writes the snapshot. */
    static void snapshot(JsonGenerator g, SupervisorSnapshot s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("startedAt", s.startedAt().map(Object::toString).orElse(null));
        g.writeStringField("takenAt", s.takenAt().toString());
        g.writeArrayFieldStart("processes");
        for (GroupSnapshot group : s.groups()) {
            g.writeStartObject();
            identity(g, group);
            g.writeNumberField("readyCount", group.readyCount());
            g.writeArrayFieldStart("instances");
            for (InstanceSnapshot i : group.instances()) {
                instance(g, i);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A process's name, namespace and labels, as every shape of a process starts. */
    private static void identity(JsonGenerator g, GroupSnapshot group) throws IOException {
        g.writeStringField("name", group.name());
        g.writeStringField("namespace", group.namespace());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> e : group.labels().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** {@code {"code": 1, "signal": null, "text": "exit code 1"}}. */
    static void exit(JsonGenerator g, ExitStatus status) throws IOException {
        g.writeStartObject();
        g.writeNumberField("code", status.exitValue());
        g.writeStringField("signal", status.signal().map(Object::toString).orElse(null));
        g.writeStringField("text", status.toString());
        g.writeEndObject();
    }

    /** A log line: {@code {"time":...,"process":"web","instance":0,"pid":42,"stream":"stdout","text":...}}. */
    public static String line(OutputLine line) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("time", line.time().toString());
            g.writeStringField("process", line.process());
            g.writeNumberField("instance", line.instanceId());
            g.writeNumberField("pid", line.pid());
            g.writeStringField("stream", line.stream().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringField("text", line.text());
            g.writeEndObject();
        });
    }

    /** An apply plan: {@code {"applied": true, "changes": [{"process","action","changed","detail"}], "text"}}. */
    public static String plan(ApplyPlan plan, boolean applied) {
        return json(g -> {
            g.writeStartObject();
            g.writeBooleanField("applied", applied);
            g.writeArrayFieldStart("changes");
            for (ApplyPlan.Change c : plan.changes()) {
                g.writeStartObject();
                g.writeStringField("process", c.process());
                g.writeStringField("action", c.action().name().toLowerCase(java.util.Locale.ROOT));
                g.writeArrayFieldStart("changed");
                for (String k : c.changed()) {
                    g.writeString(k);
                }
                g.writeEndArray();
                g.writeStringField("detail", c.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("text", plan.toString());
            g.writeEndObject();
        });
    }

    private static void nullableLong(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
