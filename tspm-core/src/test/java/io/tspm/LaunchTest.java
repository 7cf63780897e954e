package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.ProcessFailed;
import io.tspm.event.SupervisorEvent;
import io.tspm.testsupport.EventRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** How a spec becomes a running program: what it is called, where it is found, and why it cannot run. */
class LaunchTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    private Supervisor.Builder supervisor() {
        return Supervisor.builder().name("launch").addListener(events);
    }

    /** The argv of a live process as the kernel has it. */
    static List<String> cmdline(long pid) throws java.io.IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    private static long pidOf(Supervisor s, String process) {
        return s.describe(process).get(0).pid().orElseThrow();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void keepsArgv0AsGiven() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Files.copy(Path.of("/bin/sleep"), tools.resolve("mysleep"));
        try (Supervisor s = supervisor()
                .addProcess("bare", p -> p.command("sleep", "300"))
                .addProcess("niced", p -> p.command("sleep", "301").nice(5))
                .addProcess("ownpath", p -> p.command("mysleep", "302").env("PATH", tools + ":/usr/bin:/bin"))
                .addProcess("relative", p -> p.command("./tools/mysleep", "303").workingDirectory(dir))
                .build()) {
            s.start();
            assertThat(cmdline(pidOf(s, "bare"))).containsExactly("sleep", "300");
            assertThat(cmdline(pidOf(s, "niced"))).containsExactly("sleep", "301");
            assertThat(cmdline(pidOf(s, "ownpath"))).containsExactly("mysleep", "302");
            assertThat(cmdline(pidOf(s, "relative"))).containsExactly("./tools/mysleep", "303");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void keepsArgv0AsGivenWithTheParentDeathSignal() throws Exception {
        try (Supervisor s = supervisor().parentDeathSignal(true)
                .addProcess("guarded", p -> p.command("sleep", "300"))
                .build()) {
            s.start();
            assertThat(cmdline(pidOf(s, "guarded"))).containsExactly("sleep", "300");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aBareNameRunsWithoutAnInheritedEnvironment() throws Exception {
        try (Supervisor s = supervisor()
                .addProcess("clean", p -> p.command("sleep", "300").inheritEnvironment(false))
                .build()) {
            s.start();
            long pid = pidOf(s, "clean");
            assertThat(cmdline(pid)).containsExactly("sleep", "300");
            String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
            assertThat(List.of(environ.split("\0"))).noneMatch(v -> v.startsWith("PATH=")).anyMatch(
                    v -> v.startsWith(ProcessSpec.PROCESS_NAME_VAR + "="));
        }
    }

    @Test
    void aMissingProgramWithoutPathNamesTheDefaultSearchPath() {
        try (Supervisor s = supervisor()
                .addProcess("ghost", p -> p.command("no-such-program-xyz").inheritEnvironment(false))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("no such executable: 'no-such-program-xyz' is not on the default search"
                            + " path (")
                    .hasMessageContaining("the environment has no PATH");
        }
    }

    @Test
    void aScriptWithAnUnknownExtensionSaysWhatWouldRunIt() throws Exception {
        Path job = dir.resolve("job.xyz");
        Files.writeString(job, "echo hi\n");
        try (Supervisor s = supervisor().addProcess("job", p -> p.script(job)).build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("no interpreter is known for '.xyz' files, and " + job + " is not executable:"
                            + " name one with interpreter(...), or make the script an executable file that starts"
                            + " with a '#!' line")
                    .message().doesNotContain("permission denied");
        }
    }

    @Test
    void aScriptNamedWithoutADirectoryRunsFromTheWorkingDirectory() throws Exception {
        io.tspm.testsupport.Scripts.write(dir, "job.xyz", "echo ran; sleep 300");
        try (Supervisor s = supervisor()
                .addProcess("job", p -> p.script(Path.of("job.xyz")).workingDirectory(dir))
                .build()) {
            s.start();
            s.group("job").instance(0).awaitLine("^ran$", java.time.Duration.ofSeconds(20));
        }
    }

    @Test
    void aMalformedEnvFileLineNeverShowsItsValue() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "GOOD=1\nDB_PASSWORD: hunter2\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        // slf4j-simple writes to whatever System.err is; a listener that throws makes the library log the event.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        Throwable thrown;
        String reason;
        try (Supervisor s = supervisor()
                .addListener(e -> {
                    if (e instanceof ProcessFailed) {
                        throw new IllegalStateException("a listener that fails, so the event is logged");
                    }
                })
                .addProcess("db", p -> p.command("true").envFile(env))
                .build()) {
            thrown = org.assertj.core.api.Assertions.catchThrowable(s::start);
            reason = s.describe("db").get(0).failureReason().orElseThrow();
            assertThat(s.describe("db").get(0).toString()).doesNotContain("hunter2");
        } finally {
            System.setErr(err);
        }
        assertThat(thrown).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(env + ", line 2: expected KEY=value, but DB_PASSWORD is followed by ':'");
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("hunter2");
        assertThat(reason).contains("line 2").contains("DB_PASSWORD").doesNotContain("hunter2");
        assertThat(events.of(ProcessFailed.class, "db")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("line 2").doesNotContain("hunter2"));
        assertThat(events.all()).extracting(SupervisorEvent::toString).noneMatch(t -> t.contains("hunter2"));
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the library logged the failure").contains("line 2");
        assertThat(logged).doesNotContain("hunter2");
    }

    @Test
    void portAndInstancePlaceholdersAreFilledInTheCommandItsArgumentsAndTheEnvironment() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("pg", p -> p.shell("echo \"args=$1 $2 url=$URL\"; exec sleep 60").args("-p", "{port}")
                        .env("URL", "http://127.0.0.1:{port}/{name}/{instance}").instances(2).basePort(27400)
                        .readyAfter(Duration.ZERO))
                .build()) {
            s.start();
            for (int id = 0; id < 2; id++) {
                ProcessInstance i = s.group("pg").instance(id);
                int port = 27400 + id;
                String expected = "args=-p " + port + " url=http://127.0.0.1:" + port + "/pg/" + id;
                await().until(() -> i.recentOutput(5).contains(expected));
            }
        }
    }

    @Test
    void aPortPlaceholderWithoutABasePortIsASpawnFailureThatSaysSo() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("pg", p -> p.command("sleep", "{port}")).build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("argument 1 ('{port}') uses {port}, but process 'pg' has no basePort");
            assertThat(s.group("pg").instance(0).state()).isEqualTo(InstanceState.FAILED);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aChildRunsAsAnotherUserWithThatUsersGroup() {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "switching users needs root (or CAP_SETUID and CAP_SETGID): run the tests as root to cover it");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs setpriv (util-linux)");
        try (Supervisor s = Supervisor.builder()
                .addProcess("as-nobody", p -> p.shell("echo \"user=$(id -un) uid=$(id -u)\"; exec sleep 60")
                        .user("nobody").readyAfter(Duration.ZERO))
                .addProcess("ghost", p -> p.command("true").user("no-such-user-here").autostart(false))
                .build()) {
            s.start();
            ProcessInstance i = s.group("as-nobody").instance(0);
            await().until(() -> i.recentOutput(5).stream().anyMatch(l -> l.startsWith("user=nobody uid=")));
            assertThat(i.recentOutput(5).get(0)).doesNotContain("uid=0");
            assertThatThrownBy(() -> s.group("ghost").start()).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("user 'no-such-user-here' does not exist on this machine");
        }
    }
}
