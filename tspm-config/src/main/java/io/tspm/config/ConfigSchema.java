package io.tspm.config;

import io.tspm.config.internal.SchemaGenerator;
import io.tspm.config.internal.TypeRegistry;

/**
 * The JSON Schema of tspm.yaml, generated from the table of keys the binder and the writer use,
 * with a branch per probe type found on the class path. The jar ships it as
 * {@code io/tspm/config/tspm.schema.json} (also checked into the repository) for editors:
 * {@code # yaml-language-server: $schema=...}.
 */
public final class ConfigSchema {

    private ConfigSchema() {
    }

    /** The schema as JSON text. */
    public static String json() {
        return SchemaGenerator.json(TypeRegistry.shared());
    }
}
