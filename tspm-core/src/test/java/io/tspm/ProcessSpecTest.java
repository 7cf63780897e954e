package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {

    private static ProcessSpec.Builder b() {
        return ProcessSpec.builder("app");
    }

    @Test
    void name_isChecked() {
        assertThatThrownBy(() -> ProcessSpec.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> ProcessSpec.builder(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name must be").hasMessageEndingWith("but was ''");
        assertThatThrownBy(() -> ProcessSpec.builder("has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 'has space'");
        assertThatThrownBy(() -> ProcessSpec.builder("-dash")).hasMessageContaining("'-dash'");
        assertThatThrownBy(() -> ProcessSpec.builder("x".repeat(65))).hasMessageContaining("1-64");
        assertThat(ProcessSpec.builder("web-1.api_v2").command("true").build().name()).isEqualTo("web-1.api_v2");
    }

    @Test
    void command_isChecked() {
        assertThatThrownBy(() -> b().command()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command must name a program, but was []");
        assertThatThrownBy(() -> b().command((String[]) null)).isInstanceOf(NullPointerException.class).hasMessage("command");
        assertThatThrownBy(() -> b().command("ls", null)).isInstanceOf(NullPointerException.class).hasMessage("command[1]");
        assertThatThrownBy(() -> b().command(" ", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command[0] (the program) must not be blank, but was ' '");
        assertThatThrownBy(() -> b().command("a\0b")).hasMessageContaining("command[0] must not contain a NUL");
    }

    @Test
    void scriptInterpreterAndShell_areChecked() {
        assertThatThrownBy(() -> b().script(null)).isInstanceOf(NullPointerException.class).hasMessage("script");
        assertThatThrownBy(() -> b().script(Path.of(" "))).hasMessage("script must not be blank, but was ' '");
        assertThatThrownBy(() -> b().interpreter()).hasMessage("interpreter must name a program, but was []");
        assertThat(b().command("printf", "%s|", "").args("", "x").build().argv()).containsExactly("printf", "%s|", "", "", "x");
        assertThatThrownBy(() -> b().shell("a\0b")).hasMessage("shell must not contain a NUL character, but was 'a?b'");
        assertThatThrownBy(() -> b().shell(" ")).hasMessage("shell must not be blank, but was ' '");
        assertThatThrownBy(() -> b().shell(null)).isInstanceOf(NullPointerException.class).hasMessage("shell");
        assertThatThrownBy(() -> b().args("ok", null)).isInstanceOf(NullPointerException.class).hasMessage("args[1]");
    }

    @Test
    void aProgramIsRequiredAndTheLastOneSetWins() {
        assertThatThrownBy(() -> b().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'app': a program must be set: command, script or shell");
        assertThat(b().command("ls").shell("ls -l").build().kind()).isEqualTo(ProcessSpec.Kind.SHELL);
        ProcessSpec script = b().script(Path.of("tool.py")).interpreter("pypy3").build();
        assertThat(script.toBuilder().shell("echo hi").build().argv()).containsExactly("/bin/sh", "-c", "echo hi", "app");
        assertThat(script.toBuilder().command("true").build().interpreter()).isEmpty();
        assertThatThrownBy(() -> b().command("ls").interpreter("python3").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'app': interpreter [python3] is set but the program is a command, not a script");
        assertThat(b().interpreter("pypy3").script(Path.of("t.py")).build().argv()).containsExactly("pypy3", "t.py");
    }

    @Test
    void numbers_areChecked() {
        assertThatThrownBy(() -> b().instances(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instances must be in 0..10000, but was -1");
        assertThatThrownBy(() -> b().instances(10_001)).hasMessageContaining("but was 10001");
        assertThatThrownBy(() -> b().basePort(0))
                .hasMessage("basePort must be in 1..65535, but was 0 (freePorts() hands each instance a free port)");
        assertThatThrownBy(() -> b().basePort(65536)).hasMessage("basePort must be in 1..65535, but was 65536");
        assertThatThrownBy(() -> b().nice(20)).hasMessage("nice must be in -20..19, but was 20");
        assertThatThrownBy(() -> b().nice(-21)).hasMessage("nice must be in -20..19, but was -21");
        assertThatThrownBy(() -> b().command("x").basePort(65530).instances(7).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'app': basePort 65530 + instances 7 runs past port 65535");
    }

    @Test
    void environment_isChecked() {
        assertThatThrownBy(() -> b().env("A=B", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("env key must be non-empty without '=' or NUL, but was 'A=B'");
        assertThatThrownBy(() -> b().env("", "x")).hasMessageContaining("but was ''");
        assertThatThrownBy(() -> b().env(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("env key");
        assertThatThrownBy(() -> b().env("K", null)).isInstanceOf(NullPointerException.class).hasMessage("env value of K");
        assertThatThrownBy(() -> b().env("K", "a\0")).hasMessage("env value of K must not contain a NUL character");
        assertThatThrownBy(() -> b().removeEnv("A=")).hasMessageContaining("but was 'A='");
        assertThatThrownBy(() -> b().envFile(null)).isInstanceOf(NullPointerException.class).hasMessage("envFile");
        assertThatThrownBy(() -> b().instanceVar("1X")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instanceVar must be a variable name ([A-Za-z_][A-Za-z0-9_]*), but was '1X'");
        assertThatThrownBy(() -> b().portVar("MY-PORT")).hasMessageContaining("portVar").hasMessageContaining("'MY-PORT'");
        assertThatThrownBy(() -> b().command("x").basePort(80).instanceVar("P").portVar("P").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("instanceVar and portVar must differ");
        assertThatThrownBy(() -> b().command("x").env("TSPM_INSTANCE_ID", "7").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'app': env sets TSPM_INSTANCE_ID, which the supervisor sets for every instance");
        assertThatThrownBy(() -> b().command("x").basePort(80).env("PORT", "1").build())
                .hasMessage("process 'app': env sets PORT, which basePort 80 sets for every instance");
        assertThat(b().command("x").env("PORT", "1").build().environment()).containsEntry("PORT", "1");
        assertThatThrownBy(() -> b().command("x").instanceVar("TSPM_PROCESS_NAME").build())
                .hasMessageContaining("must not be TSPM_PROCESS_NAME");
    }

    @Test
    void otherSetters_areChecked() {
        assertThatThrownBy(() -> b().workingDirectory(null)).isInstanceOf(NullPointerException.class).hasMessage("workingDirectory");
        assertThatThrownBy(() -> b().namespace("a b")).hasMessageContaining("namespace must be").hasMessageContaining("'a b'");
        assertThatThrownBy(() -> b().label(" ", "v")).hasMessage("label key must not be blank, but was ' '");
        assertThatThrownBy(() -> b().label("k", null)).isInstanceOf(NullPointerException.class).hasMessage("label value of k");
        assertThatThrownBy(() -> b().stopSignal(null)).isInstanceOf(NullPointerException.class).hasMessage("stopSignal");
        assertThatThrownBy(() -> b().stopTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stopTimeout must not be negative, but was -1 s");
        assertThatThrownBy(() -> b().stopTimeout(null)).isInstanceOf(NullPointerException.class).hasMessage("stopTimeout");
        assertThatThrownBy(() -> b().dependsOn("bad name")).hasMessageContaining("dependsOn must be").hasMessageContaining("'bad name'");
        assertThatThrownBy(() -> b().command("x").dependsOn("app").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("process 'app' must not depend on itself");
        assertThatThrownBy(() -> b().restartPolicy(null)).isInstanceOf(NullPointerException.class).hasMessage("restartPolicy");
        assertThatThrownBy(() -> b().restartStrategy(null)).isInstanceOf(NullPointerException.class).hasMessage("restartStrategy");
        assertThatThrownBy(() -> b().readyAfter(Duration.ofMillis(-1))).hasMessage("readyAfter must not be negative, but was -1 ms");
        assertThatThrownBy(() -> b().exitHistorySize(0)).hasMessage("exitHistorySize must be in 1..100000, but was 0");
    }

    @Test
    void hugeDurationsSaturate() {
        ProcessSpec spec = b().command("x").stopTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build();
        assertThat(spec.stopTimeout()).isLessThan(Duration.ofDays(365L * 101));
        assertThat(spec.stopTimeout().toNanos()).isPositive();
    }

    @Test
    void interpreterIsInferredFromTheExtensionAndAnExplicitOneWins() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(b().script(Path.of("run.sh")).build().argv()).containsExactly("/bin/sh", "run.sh");
        assertThat(b().script(Path.of("app.jar")).args("--x").build().argv()).containsExactly(java, "-jar", "app.jar", "--x");
        assertThat(b().script(Path.of("Main.java")).build().argv()).containsExactly(java, "Main.java");
        assertThat(b().script(Path.of("tool.py")).build().argv()).containsExactly("python3", "tool.py");
        assertThat(b().script(Path.of("server.js")).build().argv()).containsExactly("node", "server.js");
        assertThat(b().script(Path.of("bin/run")).build().argv()).containsExactly("bin/run");
        assertThat(b().script(Path.of("tool.py")).interpreter("pypy3", "-u").build().argv())
                .containsExactly("pypy3", "-u", "tool.py");
    }

    @Test
    void shellLineTakesArgsAsPositionalParameters() {
        assertThat(b().shell("echo \"$1\"").args("hi").build().argv())
                .containsExactly("/bin/sh", "-c", "echo \"$1\"", "app", "hi");
    }

    @Test
    void buildCopiesSoReusingTheBuilderChangesNothingBuilt() {
        ProcessSpec.Builder builder = b().command("sleep", "1").env("A", "1").dependsOn("db");
        ProcessSpec first = builder.build();
        builder.env("A", "2").args("more").dependsOn("cache").instances(3);
        assertThat(first.environment()).isEqualTo(Map.of("A", "1"));
        assertThat(first.argv()).containsExactly("sleep", "1");
        assertThat(first.dependsOn()).containsExactly("db");
        assertThat(first.instances()).isEqualTo(1);
        assertThatThrownBy(() -> first.environment().put("B", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    /** A spec that sets every setting to something other than its default. */
    static ProcessSpec everything() {
        io.tspm.spi.Probe probe = ctx -> java.util.concurrent.CompletableFuture.completedFuture(
                io.tspm.spi.ProbeResult.success("ok"));
        return b().script(Path.of("tool.py")).interpreter("pypy3").args("a").workingDirectory(Path.of("/tmp"))
                .inheritEnvironment(false).env("K", "V").removeEnv("HOME").envFile(Path.of(".env")).autostart(false)
                .instances(3).instanceVar("ID").basePort(9000).portVar("HTTP_PORT").reloadPortSpan(7)
                .namespace("ns").label("team", "a").nice(5).user("postgres", "postgres")
                .stopSignal(Signal.INT).stopTimeout(Duration.ofSeconds(9))
                .addDependency("db", DependencyCondition.COMPLETED)
                .restartPolicy(RestartPolicy.never()).captureOutput(false).mergeStderr(true)
                .logs(LogSettings.builder().gzip(true).build())
                .restartStrategy(RestartStrategy.REST_FOR_ONE).readyAfter(Duration.ofSeconds(2)).exitHistorySize(7)
                .startupProbe(probe).readinessProbe(probe).livenessProbe(probe)
                .maxMemory(64L << 20).memoryLimitSamples(2).memoryLimitAction(MemoryLimitAction.RELOAD)
                .memoryWarningRatio(0.5).cronRestart("0 3 * * *")
                .watch(Path.of("src")).watchIgnore("**/*.log").watchDebounce(Duration.ofSeconds(2))
                .reloadBatch(2).reloadTimeout(Duration.ofSeconds(5)).reloadDrain(Duration.ofSeconds(3))
                .loadBalancer(new TrafficTest.LastOne()).weights(2, 1).panicThreshold(0.5).proxyPort(9100)
                .preStart(Hook.command("migrate")).postStart(Hook.shell("echo up"))
                .preStop(Hook.command("deregister").withTimeout(Duration.ofSeconds(3))).postStop(Hook.shell("rm -f x"))
                .build();
    }

    @Test
    void toBuilderRoundTripsEverySetting() throws Exception {
        ProcessSpec spec = everything();
        ProcessSpec copy = spec.toBuilder().build();
        assertThat(copy).isEqualTo(spec).hasSameHashCodeAs(spec);
        assertThat(copy.toString()).isEqualTo(spec.toString());
        assertThat(spec.toBuilder().instances(1).build().instances()).isEqualTo(1);
        // The spec above must set every setting: each accessor differs from a default spec's.
        ProcessSpec plain = b().script(Path.of("tool.py")).build();
        java.util.Set<String> derived = java.util.Set.of("name", "kind", "program", "argv", "script", "command",
                "shell", "probes", "hashCode", "toString", "toBuilder", "getClass",
                "oneShot", // a one-shot refuses readiness and liveness probes: round-tripped in its own test
                "freePorts"); // the other choice to basePort: round-tripped in FreePortsTest
        for (java.lang.reflect.Method m : ProcessSpec.class.getMethods()) {
            if (m.getParameterCount() == 0 && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
                    && !derived.contains(m.getName()) && m.getDeclaringClass() == ProcessSpec.class) {
                assertThat(m.invoke(spec)).as("everything() sets %s", m.getName()).isNotEqualTo(m.invoke(plain));
            }
        }
    }

    @Test
    void specsBuiltFromTheSameValuesAreEqualAndOneChangeMakesThemDiffer() {
        assertThat(everything()).isEqualTo(everything());
        ProcessSpec spec = everything();
        assertThat(spec.toBuilder().nice(6).build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().label("team", "b").build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().reloadDrain(Duration.ofSeconds(4)).build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().clearHooks().build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().args("b").build()).isNotEqualTo(spec);
    }

    @Test
    void settersReplaceAddersAppendAndEveryOptionalPartCanBeCleared() {
        ProcessSpec spec = b().command("x").args("a", "b").args(List.of("c")).addArg("d")
                .env("A", "1").env(Map.of("B", "2")).label("k", "v").labels(Map.of("t", "w"))
                .dependsOn("db").dependsOn("cache").addDependency("mq", DependencyCondition.STARTED)
                .watch(Path.of("a")).watch(List.of(Path.of("b"))).build();
        assertThat(spec.args()).containsExactly("c", "d");
        assertThat(spec.environment()).isEqualTo(Map.of("B", "2"));
        assertThat(spec.labels()).isEqualTo(Map.of("t", "w"));
        assertThat(spec.dependsOn()).containsExactly("cache", "mq");
        assertThat(spec.dependencies()).containsExactly(new Dependency("cache", DependencyCondition.READY),
                new Dependency("mq", DependencyCondition.STARTED));
        assertThat(spec.watchPaths()).containsExactly(Path.of("b"));

        ProcessSpec cleared = everything().toBuilder().clearBasePort().clearMaxMemory().clearStartupProbe()
                .clearReadinessProbe().clearLivenessProbe().clearEnvFile().clearCronRestart().clearWatch()
                .clearDependencies().clearUser().clearHooks().clearWorkingDirectory().clearReloadPortSpan()
                .clearLoadBalancer().clearWeights().clearProxyPort().build();
        assertThat(cleared.loadBalancer()).isEmpty();
        assertThat(cleared.traffic().weights()).isEmpty();
        assertThat(cleared.proxyPort()).isEmpty();
        assertThat(cleared.basePort()).isEmpty();
        assertThat(cleared.maxMemory()).isEmpty();
        assertThat(cleared.probes()).isEmpty();
        assertThat(cleared.envFile()).isEmpty();
        assertThat(cleared.cronRestart()).isEmpty();
        assertThat(cleared.watchPaths()).isEmpty();
        assertThat(cleared.dependsOn()).isEmpty();
        assertThat(cleared.user()).isEmpty();
        assertThat(cleared.hooks().isEmpty()).isTrue();
        assertThat(cleared.workingDirectory()).isEmpty();
        assertThat(cleared.reloadPortSpan()).isEqualTo(3);
    }

    @Test
    void aOneShotRunsOnceAndRefusesWhatContradictsIt() {
        ProcessSpec task = b().command("migrate").oneShot(true).build();
        assertThat(task.toBuilder().build()).isEqualTo(task).isNotEqualTo(task.toBuilder().oneShot(false).build());
        assertThat(task.restartPolicy().mode()).isEqualTo(RestartMode.NEVER);
        assertThat(task.readyAfter()).isZero();
        assertThat(b().command("migrate").oneShot(true).restartPolicy(RestartPolicy.builder()
                .mode(RestartMode.ON_FAILURE).build()).build().restartPolicy().mode()).isEqualTo(RestartMode.ON_FAILURE);
        assertThatThrownBy(() -> b().command("migrate").oneShot(true)
                .restartPolicy(RestartPolicy.builder().mode(RestartMode.ALWAYS).build()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("process 'app' is a one-shot task: restartPolicy ALWAYS");
        io.tspm.spi.Probe probe = ctx -> null;
        assertThatThrownBy(() -> b().command("m").oneShot(true).readinessProbe(probe).build())
                .hasMessageContaining("a readiness probe has nothing to wait for");
        assertThatThrownBy(() -> b().command("m").oneShot(true).livenessProbe(probe).build())
                .hasMessageContaining("a liveness probe would restart");
        assertThatThrownBy(() -> b().command("m").oneShot(true).readyAfter(Duration.ofSeconds(1)).build())
                .hasMessageContaining("readyAfter has no meaning");
    }

    @Test
    void userAndHooksAreChecked() {
        assertThat(b().command("x").user("1000").build().user()).hasValue("1000");
        assertThatThrownBy(() -> b().user("bad name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("user must be a user or group name").hasMessageEndingWith("but was 'bad name'");
        assertThatThrownBy(() -> b().user("pg", "")).hasMessageStartingWith("group must be");
        assertThatThrownBy(() -> Hook.command()).hasMessage("hook command must name a program, but was []");
        assertThatThrownBy(() -> Hook.command("x").withTimeout(Duration.ZERO))
                .hasMessage("hook timeout must be positive, but was 0 ms");
        HookAction action = ctx -> { };
        assertThat(Hook.callback(action)).isNotEqualTo(Hook.callback(action));
        assertThat(Hook.shell("echo")).isEqualTo(Hook.shell("echo"));
        assertThatThrownBy(() -> b().memoryWarningRatio(1.0))
                .hasMessage("memoryWarningRatio must be in (0, 1), but was 1.0");
    }

    @Test
    void toStringShowsWhatIsSetAndNoSecretValue() {
        String s = b().command("server").env("DB_PASSWORD", "hunter2").instances(2).basePort(8080).build().toString();
        assertThat(s).contains("command [server]", "count=2", "basePort=8080", "DB_PASSWORD").doesNotContain("hunter2");
        assertThat(b().command("x").build().toString()).isEqualTo("ProcessSpec{app: command [x]}");
    }

    @Test
    void defaultsAreWhatTheDocsSay() {
        ProcessSpec spec = b().command("x").build();
        assertThat(spec.instances()).isEqualTo(1);
        assertThat(spec.autostart()).isTrue();
        assertThat(spec.namespace()).isEqualTo("default");
        assertThat(spec.instanceVar()).isEqualTo("TSPM_INSTANCE_ID");
        assertThat(spec.portVar()).isEqualTo("PORT");
        assertThat(spec.basePort()).isEmpty();
        assertThat(spec.stopSignal()).isEqualTo(Signal.TERM);
        assertThat(spec.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.defaults());
        assertThat(spec.inheritEnvironment()).isTrue();
        assertThat(spec.captureOutput()).isTrue();
        assertThat(spec.dependsOn()).isEqualTo(List.of());
        assertThat(spec.readyAfter()).isEqualTo(Duration.ofMillis(100));
        assertThat(spec.restartStrategy()).isEqualTo(RestartStrategy.ONE_FOR_ONE);
        assertThat(spec.exitHistorySize()).isEqualTo(100);
    }
}
