package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input never takes the JVM down: thousands of mutations of real files each end in a
 * loaded config or a ConfigException with a position, never another exception, a hang or an
 * out-of-memory.
 */
class FuzzTest {

    @TempDir
    Path dir;

    /** The example files tspm-examples ships, read from the repository beside this module. */
    static final List<Path> SHIPPED = List.of(Path.of("../tspm-examples/tspm.yaml"),
            Path.of("../tspm-examples/ecosystem.config.json"), Path.of("../tspm-examples/ecosystem.config.js"));

    /** Every example and its format: the seed's, written specs, and the files tspm-examples ships. */
    private static Map<String, ConfigFormat> examples() throws Exception {
        Map<String, ConfigFormat> out = new LinkedHashMap<>();
        out.put(SeedExampleTest.SEED, ConfigFormat.YAML);
        out.put(SeedExampleTest.SEED_JSON, ConfigFormat.JSON);
        out.put(ConfigWriter.toYaml(RoundTripTest.specs()), ConfigFormat.YAML);
        out.put(ConfigWriter.toJson(RoundTripTest.specs()), ConfigFormat.JSON);
        for (Path file : SHIPPED) {
            assertThat(file).as("the example files of tspm-examples").exists();
            out.put(Files.readString(file), ConfigFormat.of(file));
        }
        return out;
    }

    @Test
    void theShippedExamples_loadAsTheyAre() {
        for (Path file : SHIPPED) {
            assertThat(TspmConfig.loader().environment(Map.of()).load(file).processes()).as("%s", file).isNotEmpty();
        }
    }

    /** Loads {@code text} as {@code format}: a config or a ConfigException, nothing else. */
    private static void survives(String text, ConfigFormat format, String what) {
        try {
            TspmConfig.loader().environment(Map.of()).parse(text, format);
        } catch (ConfigException e) {
            assertThat(e.problems()).as("%s: a position for %s", what, e.getMessage()).isNotEmpty();
            assertThat(e.problems().get(0).line()).isPositive();
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t + " for input:\n" + abbreviate(text), t);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    @Test
    void truncationsAndMutationsOfEveryExampleEndInAConfigOrAPositionedError() {
        Random random = new Random(42);
        String[] junk = {"", "{", "}", "[", "]", ":", ",", "'", "\"", "- ", "\n", "  ", "&a", "*a", "!!str",
                "-1", "1e999999", "99999999999999999999999", "null", "true", "[1, 2]", "{x: 1}", "\t", "#", "%", "@"};
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            int cases = 0;
            for (Map.Entry<String, ConfigFormat> e : examples().entrySet()) {
                String example = e.getKey();
                ConfigFormat format = e.getValue();
                for (int cut = 0; cut < example.length(); cut += Math.max(1, example.length() / 300)) {
                    survives(example.substring(0, cut), format, "cut at " + cut);
                    cases++;
                }
                for (int k = 0; k < 500; k++) {
                    StringBuilder m = new StringBuilder(example);
                    for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                        int at = random.nextInt(m.length() + 1);
                        int len = Math.min(m.length() - at, random.nextInt(6));
                        m.replace(at, at + len, junk[random.nextInt(junk.length)]);
                    }
                    survives(m.toString(), format, "mutation " + k);
                    survives(m.toString(), format == ConfigFormat.YAML ? ConfigFormat.JSON : ConfigFormat.YAML,
                            "mutation " + k + " in the other format");
                    cases += 2;
                }
            }
            assertThat(cases).isGreaterThan(5000);
        });
    }

    @Test
    void bombsDeepNestingHugeValuesAndInvalidUtf8AreRefusedWithAPosition() throws Exception {
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            laughs.append((char) ('a' + i)).append(": &").append((char) ('a' + i)).append(" [");
            for (int j = 0; j < 9; j++) {
                laughs.append(j == 0 ? "" : ",").append('*').append((char) ('a' + i - 1));
            }
            laughs.append("]\n");
        }
        String deep = "processes: " + "[".repeat(100_000) + "]".repeat(100_000);
        String huge = "processes: [{name: a, shell: '" + "x".repeat(100 * 1024 * 1024) + "'}]";
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            survives(laughs.toString(), ConfigFormat.YAML, "a billion laughs");
            survives(deep, ConfigFormat.YAML, "deep YAML");
            survives(deep.replace("processes: ", "{\"processes\": ") + "}", ConfigFormat.JSON, "deep JSON");
            survives("processes: [{name: a, shell: x, instances: " + "9".repeat(5000) + "}]", ConfigFormat.YAML,
                    "a huge number");
            survives(huge, ConfigFormat.YAML, "a 100 MB string");
            survives("processes: [{name: a, shell: '" + "x".repeat(4 * 1024 * 1024 - 100) + "'}]", ConfigFormat.YAML,
                    "a string just within the limit");
        });
        Path bad = dir.resolve("tspm.yaml");
        byte[] bytes = SeedExampleTest.SEED.getBytes(StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            byte[] b = bytes.clone();
            b[(k * 37) % b.length] = (byte) (0x80 | k); // a continuation byte where none may be
            Path f = dir.resolve("bad" + k + ".yaml");
            Files.write(f, b);
            files.add(f);
        }
        Files.write(bad, bytes);
        for (Path f : files) {
            try {
                TspmConfig.load(f);
            } catch (ConfigException e) {
                assertThat(e.problems()).isNotEmpty();
            }
        }
    }
}
