package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

    private static final Path CHECKED_IN = Path.of("src/main/resources/io/tspm/config/tspm.schema.json");

    private static Schema schema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(ConfigSchema.json());
    }

    private static List<Error> validate(String json) throws Exception {
        return schema().validate(new ObjectMapper().readTree(json));
    }

    @Test
    void theCheckedInSchema_isTheGeneratedOne() throws Exception {
        if (Boolean.getBoolean("tspm.regenerateSchema")) {
            Files.writeString(CHECKED_IN, ConfigSchema.json());
        }
        assertThat(Files.readString(CHECKED_IN)).as("regenerate with -Dtspm.regenerateSchema=true")
                .isEqualTo(ConfigSchema.json());
        try (InputStream in = ConfigSchema.class.getResourceAsStream("/io/tspm/config/tspm.schema.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ConfigSchema.json());
        }
    }

    @Test
    void seedExample_andWrittenSpecs_validate() throws Exception {
        assertThat(validate(SeedExampleTest.SEED_JSON)).isEmpty();
        assertThat(validate(ConfigWriter.toJson(RoundTripTest.specs()))).isEmpty();
    }

    @Test
    void theShippedTspmYaml_validates() throws Exception {
        Path file = Path.of("../tspm-examples/tspm.yaml");
        Object tree = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(Files.readString(file));
        assertThat(schema().validate(new ObjectMapper().valueToTree(tree))).as("%s", file).isEmpty();
    }

    @Test
    void aTypo_failsValidation() throws Exception {
        JsonNode doc = new ObjectMapper().readTree("{\"processes\": [{\"name\": \"a\", \"instanses\": 2}]}");
        assertThat(schema().validate(doc)).isNotEmpty();
    }
}
