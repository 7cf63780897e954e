package io.tspm.config.internal;

import java.util.Map;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.JsonSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * snakeyaml-engine's default JSON schema, typing plain scalars exactly as it does, but deciding
 * the common case without a regex: its resolver matches two patterns against every scalar (empty,
 * null) before the ones its first character selects, and a config is mostly names and commands.
 * Whatever could be a number or an {@code ${ENV}} tag goes to the original resolver.
 */
final class FastJsonSchema implements Schema {

    private final JsonSchema json = new JsonSchema();
    private final ScalarResolver original = json.getScalarResolver();
    private final ScalarResolver fast = this::resolve;

    @Override
    public ScalarResolver getScalarResolver() {
        return fast;
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors() {
        return json.getSchemaTagConstructors();
    }

    private Tag resolve(String value, Boolean implicit) {
        if (!implicit) {
            return Tag.STR;
        }
        if (value.isEmpty()) {
            return Tag.NULL;
        }
        switch (value.charAt(0)) {
            case 't':
            case 'f':
                return value.equals("true") || value.equals("false") ? Tag.BOOL : Tag.STR;
            case 'n':
                return value.equals("null") ? Tag.NULL : Tag.STR;
            case '-':
            case '.':
            case '$':
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
            case '8':
            case '9':
                return original.resolve(value, implicit);
            default:
                return Tag.STR;
        }
    }
}
