package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is exec'd for a program, with and without the wrappers that execvp it in the child's
 * environment: the name as given wherever the exec finds the file the check found.
 */
@EnabledOnOs(OS.LINUX)
class LaunchPlanTest {

    @TempDir
    Path dir;

    private final ProgramCache cache = new ProgramCache();
    private final List<Process> started = new java.util.ArrayList<>();
    /** A machine without setsid, nice or setpriv: the JDK execs the program itself. */
    private final Platform bare = new Platform(true, true, null, null, null);

    @AfterEach
    void killStarted() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
    }

    private Process start(ProcessSpec spec, Platform platform) throws Exception {
        LaunchPlan.Launch launch = LaunchPlan.build(spec, 0, OptionalInt.empty(), platform, false, null, cache,
                new ChildEnvironment.Bases());
        Process p = new JdkSpawner().start(launch.builder(), launch.environment());
        started.add(p);
        return p;
    }

    private static List<String> cmdline(Process p) throws Exception {
        // Right after the spawn the child may still be the JDK's helper: wait for the exec.
        io.tspm.testsupport.Await.await().until(() -> !Files.readString(Path.of("/proc", p.pid() + "", "cmdline"))
                .contains("jspawnhelper"));
        String raw = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    private Path tools() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        if (!Files.exists(tools.resolve("mysleep"))) {
            Files.copy(Path.of("/bin/sleep"), tools.resolve("mysleep"));
        }
        return tools;
    }

    @Test
    void withoutAWrapperANameTheJvmsPathFindsIsKept() throws Exception {
        Process p = start(ProcessSpec.builder("s").command("sleep", "300").build(), bare);
        assertThat(cmdline(p)).containsExactly("sleep", "300");
    }

    @Test
    void withoutAWrapperANameOnlyTheChildsPathFindsRunsByItsPath() throws Exception {
        Path tools = tools();
        Process p = start(ProcessSpec.builder("s").command("mysleep", "300")
                .env("PATH", tools + ":/usr/bin:/bin").build(), bare);
        assertThat(cmdline(p)).containsExactly(tools.resolve("mysleep").toString(), "300");
    }

    @Test
    void withoutAWrapperOrAPathTheDefaultSearchPathIsUsed() throws Exception {
        Process p = start(ProcessSpec.builder("s").command("sleep", "300").inheritEnvironment(false).build(), bare);
        assertThat(p.isAlive()).isTrue();
        assertThat(cmdline(p).get(0)).endsWith("sleep");
    }

    @Test
    void aWrapperGetsTheNameAsGivenAndLooksItUpOnTheChildsPath() throws Exception {
        Path tools = tools();
        Platform wrapped = Platform.detect(false);
        assertThat(LaunchPlan.program("mysleep", dir, tools + ":/usr/bin", true, wrapped, cache)).isEqualTo("mysleep");
        assertThat(LaunchPlan.program("mysleep", dir, tools + ":/usr/bin", false, bare, cache))
                .isEqualTo(tools.resolve("mysleep").toString());
        assertThat(LaunchPlan.program("sleep", dir, null, true, wrapped, cache)).isEqualTo("sleep");
    }

    @Test
    void theDefaultSearchPathIsLibcs() {
        assertThat(Platform.detect(false).libcDefaultPath()).isNotBlank().contains("/usr/bin");
    }
}
