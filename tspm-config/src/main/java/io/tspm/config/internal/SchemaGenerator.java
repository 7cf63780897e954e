package io.tspm.config.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON Schema of our format, from the same key tables the binder and the writer use. */
public final class SchemaGenerator {

    /** Where the schema is published in the jar. */
    public static final String RESOURCE = "/io/tspm/config/tspm.schema.json";

    private SchemaGenerator() {
    }

    /** The schema document. */
    public static Map<String, Object> schema(TypeRegistry types) {
        ProbeBinder probes = new ProbeBinder(types, new Values(new Problems()));
        Map<String, Object> defs = new LinkedHashMap<>();
        Map<String, Object> process = ProcessKeys.table().schema("One process: a name, and a command, script or"
                + " shell.");
        process.put("required", List.of("name"));
        process.put("patternProperties", Shapes.of("^env_.+$", Shapes.stringMap()));
        // A profile takes the same keys as its process, but for the name (and profiles do not nest).
        Map<String, Object> profile = ProcessKeys.table().schema("What the profile changes when selected at load:"
                + " env adds to the process's env, any other key replaces the process's own.");
        @SuppressWarnings("unchecked")
        Map<String, Object> profileKeys = (Map<String, Object>) profile.get("properties");
        profileKeys.remove("name");
        @SuppressWarnings("unchecked")
        Map<String, Object> processKeys = (Map<String, Object>) process.get("properties");
        processKeys.put("profiles", Shapes.of("type", "object", "description", "Settings by profile name, applied"
                + " when that profile is selected at load (tspm run --profile NAME, ConfigLoader.profile).",
                "additionalProperties", Shapes.ref("profile")));
        defs.put("process", process);
        defs.put("profile", profile);
        defs.put("logs", ProcessKeys.logTable().schema("Where the output lines go."));
        defs.put("supervisor", SupervisorKeys.table().schema("Settings of the supervisor."));
        defs.put("probe", probes.schema(false));
        defs.put("probeSettings", probes.schema(true));
        defs.put("hook", Shapes.anyOf(Shapes.string(), Shapes.of("type", "array", "items", Shapes.string()),
                Shapes.of("type", "object", "properties", Shapes.of("shell", Shapes.string(), "command",
                        Shapes.of("type", "array", "items", Shapes.string()), "timeout", Shapes.duration()),
                        "additionalProperties", false)));
        Map<String, Object> health = new LinkedHashMap<>();
        for (String k : HealthCheckSugar.KEYS) {
            switch (k) {
                case "enabled":
                    health.put(k, Shapes.bool());
                    break;
                case "protocol":
                    health.put(k, Shapes.choice(List.of("http", "https", "tcp", "command", "none")));
                    break;
                case "port":
                    health.put(k, Shapes.anyOf(Shapes.integer(1, 65535), Shapes.string()));
                    break;
                case "command":
                    health.put(k, Shapes.strings());
                    break;
                case "interval":
                case "timeout":
                case "initialDelay":
                    health.put(k, Shapes.duration());
                    break;
                case "retries":
                    health.put(k, Shapes.integer(1, 1_000_000));
                    break;
                default:
                    health.put(k, Shapes.string());
            }
        }
        defs.put("healthCheck", Shapes.of("type", "object", "properties", health, "additionalProperties", false));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://tspm.io/schema/tspm.schema.json");
        root.put("title", "tspm.yaml");
        root.put("description", "Processes for a TSPM supervisor (tspm.yaml, tspm.json, tspm.jsonc).");
        root.put("type", "object");
        root.put("properties", Shapes.of("$schema", Shapes.string(),
                "processes", Shapes.of("type", "array", "items", Shapes.ref("process")),
                "supervisor", Shapes.ref("supervisor"),
                "webhooks", Shapes.of("type", "array", "items", WebhookBinder.schema()),
                "control", SectionBinder.controlSchema(),
                "metrics", SectionBinder.metricsSchema()));
        root.put("additionalProperties", false);
        root.put("$defs", defs);
        return root;
    }

    /** The schema as JSON text. */
    public static String json(TypeRegistry types) {
        return SpecWriter.json(schema(types));
    }
}
