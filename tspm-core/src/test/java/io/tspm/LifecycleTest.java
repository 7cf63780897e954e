package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessFailed;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessSpawned;
import io.tspm.event.ProcessStopped;
import io.tspm.event.TransitionEvent;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testsupport.HelperMain;
import io.tspm.testsupport.Scripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    private Supervisor.Builder supervisor() {
        return Supervisor.builder().name("lifecycle").addListener(events);
    }

    @Test
    void startsStopsAndRestartsShellChildren() {
        try (Supervisor s = supervisor()
                .addProcess("sleeper", p -> p.command("sleep", "60").instances(2))
                .build()) {
            s.start();
            List<InstanceSnapshot> list = s.list();
            assertThat(list).hasSize(2).allSatisfy(i -> {
                assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
                assertThat(i.pid()).isPresent();
                assertThat(ProcessHandle.of(i.pid().getAsLong())).get().matches(ProcessHandle::isAlive);
                assertThat(i.startedAt()).isPresent();
                assertThat(i.restarts()).isZero();
            });
            assertThat(list).extracting(InstanceSnapshot::instanceId).containsExactly(0, 1);
            long firstPid = list.get(0).pid().getAsLong();

            s.group("sleeper").restart();
            InstanceSnapshot after = s.describe("sleeper").get(0);
            assertThat(after.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(after.pid().getAsLong()).isNotEqualTo(firstPid);
            assertThat(after.restarts()).isEqualTo(1);
            assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

            s.stop();
            assertThat(s.list()).allSatisfy(i -> {
                assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
                assertThat(i.pid()).isEmpty();
                assertThat(i.lastExit()).isPresent();
            });
            assertThat(ProcessHandle.of(after.pid().getAsLong()).filter(ProcessHandle::isAlive)).isEmpty();
        }
        assertThat(events.names("sleeper", 0)).containsExactly(
                "ProcessStarting", "ProcessSpawned", "ProcessReady",
                "ProcessStopping", "ProcessStopped",
                "ProcessStarting", "ProcessSpawned", "ProcessReady",
                "ProcessStopping", "ProcessStopped");
    }

    @Test
    void everyTransitionEventFollowsTheTable() {
        try (Supervisor s = supervisor()
                .addProcess("crashy", p -> p.shell("sleep 0.2; exit 3")
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(10)).build()))
                .build()) {
            s.start();
            await().until(() -> events.of(ProcessExited.class, "crashy").size() >= 3);
        }
        InstanceState state = InstanceState.STOPPED;
        for (TransitionEvent e : events.of(TransitionEvent.class, "crashy")) {
            assertThat(state.canMoveTo(e.state())).as("%s -> %s", state, e.state()).isTrue();
            state = e.state();
        }
        assertThat(state).isEqualTo(InstanceState.STOPPED);
        assertThat(events.of(ProcessExited.class, "crashy"))
                .allSatisfy(e -> assertThat(e.status().exitValue()).isEqualTo(3));
    }

    @Test
    void runsJavaHelperMainWithInstanceIdAndPort() {
        try (Supervisor s = supervisor()
                .addProcess("helper", p -> p.command(Scripts.java(HelperMain.class)).instances(2).basePort(21000))
                .build()) {
            s.start();
            for (int id = 0; id < 2; id++) {
                ProcessInstance instance = s.group("helper").instance(id);
                String expected = "helper pid=" + instance.pid().getAsLong() + " instance=" + id + " port=" + (21000 + id);
                await().until(() -> instance.recentOutput(10).contains(expected));
            }
        }
    }

    @Test
    void childEnvironmentLayersInheritedDotenvAndOverrides() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "# comment\nexport FROM_FILE=file\nOVERRIDDEN=file\nQUOTED=\"a b\\tc\"\n");
        try (Supervisor s = supervisor()
                .addProcess("env", p -> p
                        .shell("echo \"$FROM_FILE|$OVERRIDDEN|$QUOTED|$MY_ID|$HTTP_PORT|$TSPM_PROCESS_NAME|${HOME:-unset}\"; sleep 60")
                        .envFile(env).env("OVERRIDDEN", "code").removeEnv("HOME")
                        .instanceVar("MY_ID").portVar("HTTP_PORT").basePort(5000))
                .build()) {
            s.start();
            await().until(() -> s.group("env").instance(0).recentOutput(1)
                    .equals(List.of("file|code|a b\tc|0|5000|env|unset")));
        }
    }

    @Test
    void workingDirectoryAndScriptInterpreterAreUsed() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        Files.writeString(work.resolve("hello.sh"), "echo \"in $(pwd) with $0\"\nsleep 60\n"); // not executable: sh runs it
        try (Supervisor s = supervisor()
                .addProcess("script", p -> p.script(Path.of("hello.sh")).workingDirectory(work))
                .build()) {
            s.start();
            await().until(() -> s.group("script").instance(0).recentOutput(1)
                    .equals(List.of("in " + work.toRealPath() + " with hello.sh")));
        }
    }

    @Test
    void missingExecutableFailsOnceWithClearReason() {
        try (Supervisor s = supervisor()
                .addProcess("ghost", p -> p.command("no-such-program-xyz", "--flag"))
                .build()) {
            assertThatThrownBy(s::start)
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'ghost' instance 0 failed to start")
                    .hasMessageContaining("no such executable: 'no-such-program-xyz' is not on PATH");
            InstanceSnapshot snap = s.describe("ghost").get(0);
            assertThat(snap.state()).isEqualTo(InstanceState.FAILED);
            assertThat(snap.failureReason()).get().asString().contains("no-such-program-xyz");
        }
        // A spawn failure is final: no retry loop.
        assertThat(events.of(ProcessFailed.class, "ghost")).hasSize(1);
        assertThat(events.of(ProcessSpawned.class, "ghost")).isEmpty();
    }

    @Test
    void notExecutableAndBadWorkingDirectoryAndBadEnvFileAreClearFailures() throws Exception {
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "echo hi\n");
        Path badEnv = dir.resolve("bad.env");
        Files.writeString(badEnv, "GOOD=1\nthis line has no equals sign\n");
        try (Supervisor s = supervisor()
                .addProcess("noperm", p -> p.command(plain.toString()))
                .addProcess("nodir", p -> p.command("true").workingDirectory(dir.resolve("missing")))
                .addProcess("badenv", p -> p.command("true").envFile(badEnv))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class);
            // start() fails at the first failure; the other spawns finish failing meanwhile.
            await().until(() -> s.list().stream().allMatch(i -> i.state() == InstanceState.FAILED));
            assertThat(s.describe("noperm").get(0).failureReason()).get().asString()
                    .contains("permission denied").contains(plain.toString());
            assertThat(s.describe("nodir").get(0).failureReason()).get().asString()
                    .contains("working directory").contains("missing").contains("does not exist");
            assertThat(s.describe("badenv").get(0).failureReason()).get().asString()
                    .contains("bad.env, line 2").contains("expected KEY=value");
            assertThat(s.list()).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.FAILED));
        }
    }

    @Test
    void aProgramThatDiesAtOnceFailsStartWithItsOutput() {
        try (Supervisor s = supervisor()
                .addProcess("broken", p -> p.shell("echo 'config error: no such file app.conf' >&2; exit 2")
                        .restartPolicy(RestartPolicy.never()))
                .build()) {
            assertThatThrownBy(s::start)
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'broken' instance 0 failed to start: exited before it was ready (exit code 2")
                    .hasMessageContaining("| config error: no such file app.conf");
            assertThat(s.describe("broken").get(0).state()).isEqualTo(InstanceState.EXITED);
        }
    }

    @Test
    void aScriptWithAMissingInterpreterIsASpawnFailureNotACrashLoop() {
        Path script = Scripts.write(dir, "bad.sh", "echo never");
        try {
            Files.writeString(script, "#!/no/such/interpreter\necho never\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Supervisor s = supervisor().addProcess("bad", p -> p.command(script.toString())).build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("bad interpreter: " + script + " starts with #!/no/such/interpreter, which does not exist");
            assertThat(s.describe("bad").get(0).state()).isEqualTo(InstanceState.FAILED);
        }
        assertThat(events.of(ProcessSpawned.class, "bad")).isEmpty();
    }

    @Test
    void failedInstanceStartsAgainWhenTheUserAsks() throws Exception {
        Path program = dir.resolve("later.sh");
        try (Supervisor s = supervisor().addProcess("later", p -> p.command(program.toString())).build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class);
            Scripts.write(dir, "later.sh", "sleep 60");
            s.group("later").start();
            assertThat(s.describe("later").get(0).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void crashedProcessIsRestartedAfterDelay() {
        try (Supervisor s = supervisor()
                .addProcess("victim", p -> p.command("sleep", "60")
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(50)).build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("victim").instance(0);
            long pid = i.pid().getAsLong();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().until(() -> i.state() == InstanceState.RUNNING && i.pid().getAsLong() != pid);
            InstanceSnapshot snap = i.snapshot();
            assertThat(snap.restarts()).isEqualTo(1);
            assertThat(snap.lastExit()).get().extracting(ExitStatus::signal).asString().contains("KILL");
            await().until(() -> !events.of(ProcessExited.class, "victim").isEmpty());
            ProcessExited exited = events.of(ProcessExited.class, "victim").get(0);
            assertThat(exited.pid()).isEqualTo(pid);
            assertThat(exited.status().signal()).contains(Signal.KILL);
        }
    }

    @Test
    void cleanExitIsNotRestartedUnderOnFailureButIsUnderAlways() {
        try (Supervisor s = supervisor()
                .addProcess("once", p -> p.shell("sleep 0.3; exit 0"))
                .addProcess("forever", p -> p.shell("sleep 0.3; exit 0").readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.builder().mode(RestartMode.ALWAYS).fixedDelay(Duration.ZERO).build()))
                .build()) {
            s.start();
            await().until(() -> s.describe("once").get(0).state() == InstanceState.EXITED);
            await().until(() -> events.of(ProcessReady.class, "forever").size() >= 3);
            assertThat(events.of(ProcessReady.class, "once")).hasSize(1);
            assertThat(s.describe("once").get(0).lastExit()).contains(new ExitStatus(0));
        }
    }

    @Test
    void startStopAndCloseAreIdempotent() {
        Supervisor s = supervisor().addProcess("p", p -> p.command("sleep", "60")).build();
        s.start();
        long pid = s.describe("p").get(0).pid().getAsLong();
        s.start();
        assertThat(s.describe("p").get(0).pid()).hasValue(pid);
        s.stop();
        s.stop();
        s.close();
        s.close();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(events.of(ProcessStopped.class, "p")).hasSize(1);
    }

    @Test
    void supervisorCanStartAgainAfterStop() {
        try (Supervisor s = supervisor().addProcess("p", p -> p.command("sleep", "60")).build()) {
            s.start();
            s.stop();
            s.start();
            assertThat(s.describe("p").get(0).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void unknownProcessNameIsAClearError() {
        try (Supervisor s = supervisor().addProcess("known", p -> p.command("true").autostart(false)).build()) {
            assertThatThrownBy(() -> s.group("unknown"))
                    .isInstanceOf(NoSuchProcessException.class)
                    .hasMessage("no process named 'unknown'; did you mean 'known'? (known processes: known)");
        }
    }

    @Test
    void autostartFalseIsNotStartedBySupervisorStart() {
        try (Supervisor s = supervisor().addProcess("manual", p -> p.command("sleep", "60").autostart(false)).build()) {
            s.start();
            assertThat(s.describe("manual").get(0).state()).isEqualTo(InstanceState.STOPPED);
            s.group("manual").start();
            assertThat(s.describe("manual").get(0).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void signalReachesTheProcess() {
        try (Supervisor s = supervisor()
                .addProcess("trap", p -> p.shell("trap 'echo got-usr1' USR1; echo ready; while true; do sleep 0.05; done"))
                .build()) {
            s.start();
            ProcessInstance i = s.group("trap").instance(0);
            await().until(() -> i.recentOutput(5).contains("ready"));
            assertThat(i.signal(Signal.USR1)).isTrue();
            await().until(() -> i.recentOutput(5).contains("got-usr1"));
        }
    }
}
