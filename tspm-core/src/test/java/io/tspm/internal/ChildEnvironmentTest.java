package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.ProcessSpec;
import io.tspm.time.Ticker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two layers of a child's environment: what many spawns share and what one spawn sets, removes
 * or overrides, as a real child sees it on the JDK path (and, on JDK 22+, the native one).
 */
@EnabledOnOs(OS.LINUX)
class ChildEnvironmentTest {

    @TempDir
    Path dir;

    /** What the shell between the spawn and {@code cat} sets itself. */
    private static final Set<String> SHELL_OWN = Set.of("PWD", "SHLVL", "_", "OLDPWD");

    private final ChildEnvironment.Bases bases = new ChildEnvironment.Bases();

    private ChildEnvironment environment(ProcessSpec spec, int id, OptionalInt port) throws Exception {
        return LaunchPlan.environment(spec, id, port, dir, null, bases);
    }

    /** The old rule, in one map: the JVM's, the file, the spec's, less the removals, then the supervisor's. */
    private static Map<String, String> expected(ProcessSpec spec, Map<String, String> file, int id) {
        Map<String, String> m = new HashMap<>(spec.inheritEnvironment() ? System.getenv() : Map.of());
        m.putAll(file);
        m.putAll(spec.environment());
        m.keySet().removeAll(spec.removedEnvironment());
        m.put(ProcessSpec.PROCESS_NAME_VAR, spec.name());
        m.put(spec.instanceVar(), Integer.toString(id));
        return m;
    }

    @Test
    void layersMakeWhatTheOneMapMade() throws Exception {
        String inherited = System.getenv().keySet().stream().filter(k -> !k.equals("PATH")).findFirst().orElseThrow();
        Path file = dir.resolve(".env");
        Files.writeString(file, "FROM_FILE=1\n" + inherited + "=from-file\nREMOVED_LATER=x\n");
        ProcessSpec spec = ProcessSpec.builder("layers").command("true").envFile(file)
                .env("OWN", "own-{id}").env("PATH", "/custom/bin").removeEnv("REMOVED_LATER").removeEnv("HOME")
                .build();

        ChildEnvironment env = environment(spec, 3, OptionalInt.empty());

        Map<String, String> want = expected(spec, Map.of("FROM_FILE", "1", inherited, "from-file",
                "REMOVED_LATER", "x"), 3);
        want.put("OWN", "own-3");
        assertThat(env.toMap()).isEqualTo(want);
        assertThat(env.get("PATH")).isEqualTo("/custom/bin");
        assertThat(env.get("HOME")).isNull();
        assertThat(env.get(inherited)).isEqualTo("from-file");
    }

    @Test
    void inheritingSpecsShareOneBasePerSetOfRemovals() throws Exception {
        ProcessSpec plain = ProcessSpec.builder("a").command("true").build();
        ProcessSpec other = ProcessSpec.builder("b").command("true").env("X", "1").build();
        ProcessSpec removing = ProcessSpec.builder("c").command("true").removeEnv("HOME").build();

        ChildEnvironment a0 = environment(plain, 0, OptionalInt.empty());
        ChildEnvironment a1 = environment(plain, 1, OptionalInt.empty());
        ChildEnvironment b = environment(other, 0, OptionalInt.empty());
        ChildEnvironment c = environment(removing, 0, OptionalInt.empty());

        assertThat(a0.base()).isSameAs(a1.base()).isSameAs(b.base());
        assertThat(a0.base().jvmEnvironment).isTrue();
        assertThat(a0.own()).containsOnlyKeys(ProcessSpec.PROCESS_NAME_VAR, plain.instanceVar());
        if (System.getenv("HOME") != null) {
            assertThat(c.base()).isNotSameAs(a0.base());
            assertThat(c.base().jvmEnvironment).isFalse();
            assertThat(c.base().variables).doesNotContainKey("HOME");
        }
        assertThat(environment(removing, 1, OptionalInt.empty()).base()).isSameAs(c.base());
        assertThat(environment(ProcessSpec.builder("d").command("true").inheritEnvironment(false).build(), 0,
                OptionalInt.empty()).base().variables).isEmpty();
    }

    @Test
    void refusesWhatNoChildCanBeGiven_namingTheVariableAndWhereItCameFrom() throws Exception {
        ChildEnvironment env = new ChildEnvironment(ChildEnvironment.Base.EMPTY);
        assertThatThrownBy(() -> env.put("A=B", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'A=B'").hasMessageContaining("expected no '=' and no NUL");
        assertThatThrownBy(() -> env.put("K", "a\0b")).hasMessageContaining("environment variable K has a value"
                + " holding a NUL character");
        assertThatThrownBy(() -> env.put("K", null)).hasMessageContaining("environment variable K has a null value");

        Path file = dir.resolve("nul.env");
        Files.write(file, "GOOD=1\nBAD=a\0b\n".getBytes(StandardCharsets.UTF_8));
        ProcessSpec spec = ProcessSpec.builder("nul").command("true").envFile(file).build();
        assertThatThrownBy(() -> environment(spec, 0, OptionalInt.empty()))
                .isInstanceOf(LaunchPlan.SpawnFailure.class)
                .hasMessageContaining("env file " + file).hasMessageContaining("environment variable BAD");
    }

    @Test
    void aChildSeesBothLayersOnEitherLaunchPath() throws Exception {
        ProcessSpec spec = ProcessSpec.builder("seen").command("true").env("OWN", "own-{id}")
                .env("PATH", System.getenv("PATH") + ":/extra").removeEnv("HOME").build();
        ChildEnvironment env = environment(spec, 2, OptionalInt.empty());
        Map<String, String> want = env.toMap();
        want.keySet().removeAll(SHELL_OWN);

        try (Spawner jdk = new JdkSpawner()) {
            assertThat(childEnvironment(jdk, env)).isEqualTo(want);
        }
        // The launch path this run takes (the native one in the JDK 22+ profile); twice, since the
        // second spawn takes the base's variables as the first encoded them.
        try (Engine engine = new Engine("env-test", Clock.systemUTC(), Ticker.system(), null, false, false, null,
                Duration.ZERO, Duration.ofSeconds(60), true)) {
            assertThat(engine.spawner.name()).isEqualTo(System.getProperty("tspm.test.expectLaunch", "jdk"));
            assertThat(childEnvironment(engine.spawner, env)).isEqualTo(want);
            assertThat(childEnvironment(engine.spawner, env)).isEqualTo(want);
        }
    }

    private Map<String, String> childEnvironment(Spawner spawner, ChildEnvironment env) throws Exception {
        Path out = Files.createTempFile(dir, "env", ".bin");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "exec cat /proc/self/environ")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = spawner.start(pb, env);
        assertThat(p.waitFor()).isZero();
        return parse(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** NUL-separated {@code key=value}s, less what the shell adds itself. */
    private static Map<String, String> parse(String environ) {
        Map<String, String> m = new HashMap<>();
        for (String kv : environ.split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        m.keySet().removeAll(SHELL_OWN);
        return m;
    }
}
