package io.tspm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.JsonSchema;

class FastJsonSchemaTest {

    @Test
    void typesEveryScalar_asSnakeyamlsJsonSchemaDoes() {
        ScalarResolver fast = new FastJsonSchema().getScalarResolver();
        ScalarResolver original = new JsonSchema().getScalarResolver();
        List<String> values = new ArrayList<>(List.of("", "true", "false", "True", "FALSE", "null", "Null", "~", "-",
                "-1", "1", "0", "01", "+1", "1.5", "-1.5e3", ".5", "-.5", ".inf", "-.inf", ".nan", "0x1F", "0o17",
                "1e3", "1_000", "$VAR", "${VAR}", "${VAR:-x}", "tree", "fals", "nulls", "n", "t", "f", "yes", "no",
                "on", "off", "api-server", "./server.js", "30s", "512mb", "10M", " 1", "1 ", "-0", "00", "9" .repeat(30)));
        Random random = new Random(7);
        String alphabet = "tfnrueals0123456789-+.eE$%{}_xo ~";
        for (int k = 0; k < 20_000; k++) {
            StringBuilder b = new StringBuilder();
            for (int len = random.nextInt(7); len > 0; len--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(b.toString());
        }
        for (String v : values) {
            for (boolean implicit : new boolean[] {true, false}) {
                assertThat(fast.resolve(v, implicit)).as("'%s' implicit %s", v, implicit)
                        .isEqualTo(original.resolve(v, implicit));
            }
        }
    }
}
