package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.tspm.ProcessSpec;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@code profiles:} section per process, selected at load as PM2's env_<profile> is. */
class ProfilesTest {

    private static final String FILE = String.join("\n",
            "processes:",
            "  - name: api",
            "    command: [./api]",
            "    args: [--dev]",
            "    instances: 1",
            "    env: {LOG_LEVEL: debug, REGION: eu}",
            "    env_staging: {STAGE: yes}",
            "    profiles:",
            "      production:",
            "        instances: 4",
            "        args: [--prod]",
            "        env: {LOG_LEVEL: info}",
            "        stopTimeout: 20s",
            "  - name: worker",
            "    shell: ./worker",
            "");

    private static ConfigLoader loader() {
        return TspmConfig.loader().environment(Map.of());
    }

    private static ProcessSpec api(TspmConfig c) {
        return c.processes().get(0);
    }

    private static List<String> problems(String yaml, String profile) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> loader().profile(profile).read(new StringReader(yaml), ConfigFormat.YAML, "tspm.yaml"));
        assertThat(e).as("a ConfigException").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void theSelectedProfile_replacesKeys_andAddsToEnv() {
        TspmConfig c = loader().profile("production").read(new StringReader(FILE), ConfigFormat.YAML, "tspm.yaml");
        ProcessSpec api = api(c);
        assertThat(api.instances()).isEqualTo(4);
        assertThat(api.args()).containsExactly("--prod");
        assertThat(api.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("LOG_LEVEL", "info", "REGION", "eu"));
        assertThat(api.stopTimeout()).hasSeconds(20);
        assertThat(c.processes().get(1).instances()).isEqualTo(1);
    }

    @Test
    void withoutAProfile_orWithAnother_theProcessIsAsWritten() {
        ProcessSpec plain = api(loader().read(new StringReader(FILE), ConfigFormat.YAML, "tspm.yaml"));
        assertThat(plain.instances()).isEqualTo(1);
        assertThat(plain.args()).containsExactly("--dev");
        assertThat(plain.environment()).containsEntry("LOG_LEVEL", "debug").doesNotContainKey("STAGE");
        ProcessSpec staging = api(loader().profile("staging").read(new StringReader(FILE), ConfigFormat.YAML,
                "tspm.yaml"));
        assertThat(staging.instances()).isEqualTo(1);
        assertThat(staging.environment()).containsEntry("STAGE", "yes").containsEntry("LOG_LEVEL", "debug");
    }

    @Test
    void aProfileNamedNowhere_isAnError_withTheNearestOne() {
        assertThat(problems(FILE, "prodution")).containsExactly("tspm.yaml:1:1: profiles: the profile 'prodution' was"
                + " selected, but this file has no such profile; did you mean 'production'? (its profiles: production,"
                + " staging)");
    }

    @Test
    void aProfileInAFileWithoutProfiles_isAWarning() {
        TspmConfig c = loader().profile("production").read(new StringReader("processes: [{name: a, shell: x}]"),
                ConfigFormat.YAML, "tspm.yaml");
        assertThat(c.warnings()).extracting(ConfigProblem::message)
                .containsExactly("the profile 'production' was selected, but no process has env_production or"
                        + " profiles.production: nothing changes");
    }

    @Test
    void mistakesInAProfileNotSelected_areStillFound_atTheirLine() {
        String yaml = String.join("\n",
                "processes:",
                "  - name: api",
                "    shell: ./api",
                "    profiles:",
                "      production:",
                "        instanses: 4",
                "        stopTimeout: soon",
                "        name: other",
                "      staging: 3",
                "");
        assertThat(problems(yaml, "dev-never-named")).containsExactly(
                "tspm.yaml:6:9: processes[0].profiles.production.instanses: unknown key; did you mean 'instances'?",
                "tspm.yaml:7:22: processes[0].profiles.production.stopTimeout: expected a duration such as 500ms, 30s,"
                        + " 5m or 1h, or a number of milliseconds, but was 'soon' (a string)",
                "tspm.yaml:8:9: processes[0].profiles.production.name: a profile cannot set name (a profile changes a"
                        + " process; it cannot rename it)",
                "tspm.yaml:9:16: processes[0].profiles.staging: expected a mapping of the process settings the profile"
                        + " 'staging' changes (env, instances, args, ...), but was 3 (a number)",
                "tspm.yaml:1:1: profiles: the profile 'dev-never-named' was selected, but this file has no such"
                        + " profile (its profiles: production, staging)");
    }

    @Test
    void aCrossKeyMistakeMadeByTheProfile_pointsIntoTheProfile() {
        String yaml = String.join("\n",
                "processes:",
                "  - name: api",
                "    shell: ./api",
                "    profiles:",
                "      production:",
                "        group: nogroup",
                "");
        assertThat(problems(yaml, "production")).containsExactly(
                "tspm.yaml:6:16: processes[0].profiles.production.group: group needs user: set user as well");
    }

    @Test
    void theSchema_acceptsProfiles_andRefusesATypoInOne() throws Exception {
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(ConfigSchema.json());
        ObjectMapper json = new ObjectMapper();
        assertThat(schema.validate(json.readTree("{\"processes\": [{\"name\": \"a\", \"shell\": \"x\", \"profiles\":"
                + " {\"production\": {\"instances\": 4, \"env\": {\"A\": \"1\"}}}}]}"))).isEmpty();
        assertThat(schema.validate(json.readTree("{\"processes\": [{\"name\": \"a\", \"shell\": \"x\", \"profiles\":"
                + " {\"production\": {\"instanses\": 4}}}]}"))).isNotEmpty();
        assertThat(schema.validate(json.readTree("{\"processes\": [{\"name\": \"a\", \"shell\": \"x\", \"profiles\":"
                + " {\"production\": {\"name\": \"b\"}}}]}"))).isNotEmpty();
    }
}
