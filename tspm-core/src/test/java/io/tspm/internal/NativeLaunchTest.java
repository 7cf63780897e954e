package io.tspm.internal;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.ProcessStartException;
import io.tspm.LogSettings;
import io.tspm.Supervisor;
import io.tspm.testsupport.LimitsHostMain;
import io.tspm.testsupport.Scripts;
import io.tspm.time.Ticker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch seam on the path this JVM takes (native on JDK 22+ with native access, which the
 * build's JDK 25 run enables; the JDK's on 17): which path is chosen, what the child inherits, and
 * the spawns that fail, each with a plain reason and nothing left behind (no fd, pidfd or zombie).
 */
@EnabledOnOs(OS.LINUX)
class NativeLaunchTest {

    /** What the build expects this run to take: "native" in the JDK 22+ profile, else "jdk". */
    private static final String EXPECTED = System.getProperty("tspm.test.expectLaunch", "jdk");

    @TempDir
    Path dir;

    private static Engine engine(boolean nativeLaunch) {
        return new Engine("launch-test", Clock.systemUTC(), Ticker.system(), null, false, false, null, Duration.ZERO,
                Duration.ofSeconds(60), nativeLaunch);
    }

    @Test
    void takesTheLaunchPathTheBuildExpects() {
        try (Engine e = engine(true)) {
            assertThat(e.spawner.name()).isEqualTo(EXPECTED);
            assertThat(e.spawner.makesSessions()).isEqualTo(EXPECTED.equals("native"));
        }
    }

    @Test
    void theBuilderAndThePropertyForceTheJdkPath() {
        try (Engine e = engine(false)) {
            assertThat(e.spawner.name()).isEqualTo("jdk");
        }
        System.setProperty(Spawner.PROPERTY, "jdk");
        try (Engine e = engine(true)) {
            assertThat(e.spawner.name()).isEqualTo("jdk");
        } finally {
            System.clearProperty(Spawner.PROPERTY);
        }
    }

    @Test
    void aProcessorWhoseSystemCallNumbersItDoesNotKnowTakesTheJdkPathAndSaysWhy() throws Exception {
        assumeTrue(EXPECTED.equals("native"), "the native launch path is not taken on this JVM");
        List<String> cmd = new ArrayList<>(Scripts.java(LimitsHostMain.class));
        cmd.addAll(1, List.of("--enable-native-access=ALL-UNNAMED", "-Dos.arch=riscv64"));
        Path log = dir.resolve("host.err");
        Process host = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("READY jdk");
        } finally {
            host.getOutputStream().close();
            if (!host.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                host.destroyForcibly().waitFor();
            }
        }
        assertThat(Files.readString(log)).contains("launches children through the JDK (ProcessBuilder): "
                + "the native path is for x86-64 and arm64 only (this is riscv64)");
    }

    @Test
    void aChildSeesOnlyStdinStdoutAndStderr() throws Exception {
        try (Supervisor s = Supervisor.builder().name("fds")
                .addProcess("piped", p -> p.command("sleep", "300"))
                .addProcess("merged", p -> p.command("sleep", "301").mergeStderr(true))
                .addProcess("quiet", p -> p.command("sleep", "302").captureOutput(false))
                .build()) {
            s.start();
            for (String name : List.of("piped", "merged", "quiet")) {
                long pid = s.describe(name).get(0).pid().orElseThrow();
                assertThat(fdsOf(Path.of("/proc", Long.toString(pid), "fd"))).as(name).containsExactly("0", "1", "2");
                assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "0")))
                        .isEqualTo(Path.of("/dev/null"));
            }
            // the child leads its own session, with no setsid exec in between on the native path
            long pid = s.describe("piped").get(0).pid().orElseThrow();
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            assertThat(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]).isEqualTo(Long.toString(pid));
        }
    }

    @Test
    void everySpawnGetsTheEnvironmentAsItIsThen() throws Exception {
        // The native path keeps each variable's encoded bytes between spawns: a value that changes
        // (per instance, or by an apply) must still reach the child as it is at that spawn.
        java.util.function.Function<String, io.tspm.ProcessSpec> web = greeting -> io.tspm.ProcessSpec.builder("web")
                .command("sh", "-c", "env > \"$OUT/$GREETING-$TSPM_INSTANCE_ID\"; exec sleep 300").instances(2)
                .env("OUT", dir.toString()).env("GREETING", greeting).build();
        try (Supervisor s = Supervisor.builder().name("env").addProcess(web.apply("hello")).build()) {
            s.start();
            await().until(() -> Files.exists(dir.resolve("hello-0")) && Files.exists(dir.resolve("hello-1")));
            s.apply(List.of(web.apply("bonjour")));
            await().until(() -> Files.exists(dir.resolve("bonjour-0")) && Files.exists(dir.resolve("bonjour-1")));
            for (String file : List.of("hello-0", "hello-1", "bonjour-0", "bonjour-1")) {
                await().until(() -> Files.readString(dir.resolve(file)).contains("TSPM_PROCESS_NAME=web"));
                List<String> env = Files.readAllLines(dir.resolve(file));
                String greeting = file.substring(0, file.indexOf('-'));
                String instance = file.substring(file.indexOf('-') + 1);
                assertThat(env).as(file).contains("GREETING=" + greeting, "TSPM_INSTANCE_ID=" + instance,
                        "OUT=" + dir, "PATH=" + System.getenv("PATH"));
            }
        }
    }

    @Test
    void specsThatCannotRunFailWithTheReasonAndLeakNothing() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("plain"), "echo hi\n");
        Path orphanScript = Files.writeString(dir.resolve("orphan.sh"), "#!/no/such/interpreter\necho hi\n");
        orphanScript.toFile().setExecutable(true);
        Path gone = Files.createDirectory(dir.resolve("gone"));
        Files.delete(gone);
        record Case(String name, List<String> argv, Path workDir, String reason) {
        }
        List<Case> cases = List.of(
                new Case("missing", List.of(dir.resolve("no-such-program").toString()), null, "no such executable"),
                new Case("noexec", List.of(notExecutable.toString()), null, "is not executable"),
                new Case("interp", List.of(orphanScript.toString()), null, "bad interpreter"),
                new Case("nodir", List.of("sleep", "300"), gone, "working directory " + gone + " does not exist"));
        long before = openFds();
        for (Case c : cases) {
            try (Supervisor s = Supervisor.builder().name("bad-" + c.name())
                    .addProcess(c.name(), p -> {
                        p.command(c.argv().toArray(String[]::new));
                        if (c.workDir() != null) {
                            p.workingDirectory(c.workDir());
                        }
                    })
                    .build()) {
                assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                        .hasMessageContaining(c.reason());
                InstanceSnapshot snap = s.describe(c.name()).get(0);
                assertThat(snap.state()).isEqualTo(InstanceState.FAILED);
                assertThat(snap.failureReason()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .contains(c.reason());
            }
        }
        await().untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(before));
        assertThat(zombieChildren()).isEmpty();
    }

    /**
     * What a native spawner rehearses on a cold JVM goes as far as posix_spawn (its two pipes made),
     * and leaves no descriptor behind.
     */
    @Test
    void rehearsingASpawnGoesUpToPosixSpawnAndLeavesNoDescriptor() throws Exception {
        assumeTrue(EXPECTED.equals("native"), "the native launch path is not taken on this JVM");
        java.lang.reflect.Method rehearse = Class.forName("io.tspm.internal.NativeSpawner").getDeclaredMethod("rehearse");
        rehearse.setAccessible(true);
        assertThat(rehearse.invoke(null)).isEqualTo(4); // once, so lazily opened JDK files are counted in "before"
        long before = openFds();
        for (int i = 0; i < 20; i++) {
            assertThat(rehearse.invoke(null)).isEqualTo(4);
        }
        assertThat(openFds()).isLessThanOrEqualTo(before);
    }

    /**
     * A child writing in bulk gets a larger pipe once a read found its pipe full, so it does not
     * block while the one output thread serves the others; a quiet child keeps the kernel's default.
     * Every byte still reaches the file.
     */
    @Test
    void aBulkWritersPipeIsGrownAndAQuietOnesIsNot() throws Exception {
        assumeTrue(EXPECTED.equals("native"), "the native launch path is not taken on this JVM");
        long bytes = 41L * 500_000; // whole lines of 40 digits and a newline
        try (Supervisor s = Supervisor.builder().name("pipes").logDirectory(dir)
                .addProcess("bulk", p -> p.command("sh", "-c",
                        "yes 0123456789012345678901234567890123456789 | head -c " + bytes + "; exec sleep 300")
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(64L * 1024 * 1024).build()))
                .addProcess("quiet", p -> p.command("sh", "-c", "echo hi; exec sleep 301"))
                .build()) {
            s.start();
            Path bulkLog = dir.resolve("bulk-0.out.log");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Files.exists(bulkLog) ? Files.size(bulkLog) : -1)
                    .as("%s", listing(dir)).isEqualTo(bytes));
            await().until(() -> s.group("quiet").instance(0).recentLines(1).size() == 1);
            java.lang.reflect.Method pipeSize = Class.forName("io.tspm.internal.OutputLoop")
                    .getDeclaredMethod("pipeSize", int.class);
            pipeSize.setAccessible(true);
            int bulk = (int) pipeSize.invoke(null, ourEndOfStdout(s.describe("bulk").get(0).pid().orElseThrow()));
            int quiet = (int) pipeSize.invoke(null, ourEndOfStdout(s.describe("quiet").get(0).pid().orElseThrow()));
            assertThat(bulk).isGreaterThanOrEqualTo(256 * 1024);
            assumeTrue(quiet < 256 * 1024, "this kernel's pipes start at " + quiet + " bytes, not below 256 KiB");
            assertThat(quiet).isLessThan(bulk);
            assertThat(Files.readString(bulkLog).lines()).hasSize((int) (bytes / 41))
                    .allMatch("0123456789012345678901234567890123456789"::equals);
        }
    }

    private static String listing(Path d) throws IOException {
        try (var f = Files.list(d)) {
            return f.map(p -> p.getFileName() + "=" + p.toFile().length()).toList().toString();
        }
    }

    /** The descriptor of this JVM that reads the pipe which is stdout of process {@code pid}. */
    private static int ourEndOfStdout(long pid) throws IOException {
        Path pipe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "1"));
        for (String fd : fdsOf(Path.of("/proc/self/fd"))) {
            try {
                if (Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).equals(pipe)) {
                    return Integer.parseInt(fd);
                }
            } catch (IOException gone) { // closed meanwhile (the listing's own descriptor)
            }
        }
        throw new AssertionError("no descriptor of this JVM is " + pipe + ", stdout of " + pid);
    }

    /**
     * The spawner's own errors, for what changes between the check and the spawn (the program, its
     * interpreter or the directory removed meanwhile): the errno in the JDK's words, and no fd left.
     */
    @Test
    void aSpawnThatTheKernelRefusesSaysWhyAndLeaksNothing() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("plain"), "echo hi\n");
        Path orphanScript = Files.writeString(dir.resolve("orphan.sh"), "#!/no/such/interpreter\necho hi\n");
        orphanScript.toFile().setExecutable(true);
        Path gone = Files.createDirectory(dir.resolve("gone"));
        Files.delete(gone);
        try (Engine e = engine(true)) {
            assertThat(e.spawner.name()).isEqualTo(EXPECTED);
            // warm up once, so lazily opened JDK files and the exit thread are counted in "before"
            Process warm = e.spawner.start(new ProcessBuilder("true"));
            assertThat(warm.waitFor()).isZero();
            long before = openFds();
            assertThatThrownBy(() -> e.spawner.start(new ProcessBuilder(dir.resolve("missing").toString())))
                    .isInstanceOf(IOException.class).hasMessageContaining("error=2, No such file or directory");
            assertThatThrownBy(() -> e.spawner.start(new ProcessBuilder(notExecutable.toString())))
                    .isInstanceOf(IOException.class).hasMessageContaining("error=13, Permission denied");
            assertThatThrownBy(() -> e.spawner.start(new ProcessBuilder(orphanScript.toString())))
                    .isInstanceOf(IOException.class).hasMessageContaining("error=2, No such file or directory");
            assertThatThrownBy(() -> e.spawner.start(new ProcessBuilder("true").directory(gone.toFile())))
                    .isInstanceOf(IOException.class).hasMessageContaining("error=2, No such file or directory");
            await().untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(before));
            assertThat(zombieChildren()).isEmpty();
        }
    }

    @Test
    void exitCodesAndDeathsBySignalAreReportedAsTheJdkDoes() throws Exception {
        try (Engine e = engine(true)) {
            assertThat(e.spawner.start(new ProcessBuilder("sh", "-c", "exit 3")).waitFor()).isEqualTo(3);
            Process p = e.spawner.start(new ProcessBuilder("sleep", "300"));
            assertThat(p.isAlive()).isTrue();
            p.destroyForcibly();
            assertThat(p.onExit().get().exitValue()).isEqualTo(128 + 9);
            Process t = e.spawner.start(new ProcessBuilder("sleep", "300"));
            t.toHandle().destroy();
            assertThat(t.waitFor()).isEqualTo(128 + 15);
            assertThat(t.toHandle().isAlive()).isFalse();
            Process out = e.spawner.start(new ProcessBuilder("sh", "-c", "echo out; echo err >&2"));
            assertThat(new String(out.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("out\n");
            assertThat(new String(out.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("err\n");
            out.getInputStream().close();
            out.getErrorStream().close();
            assertThat(out.waitFor()).isZero();
        }
    }

    /**
     * The limits a spawn meets in the kernel: out of file descriptors (RLIMIT_NOFILE) and out of
     * processes (EAGAIN, from a pids cgroup), in a helper JVM whose limits are tightened from here.
     */
    @Test
    void anFdLimitAndEagainFailTheStartWithTheReasonAndLeakNothing() throws Exception {
        // On the JDK path (seen on 17.0.15) a spawn out of descriptors left the helper's fd 0 reopened
        // as /dev/null, which ends its command stream: this test is the native path's.
        assumeTrue(EXPECTED.equals("native"), "the native launch path is not taken on this JVM");
        List<String> cmd = new ArrayList<>(Scripts.java(LimitsHostMain.class));
        cmd.add(1, "--enable-native-access=ALL-UNNAMED");
        Process host = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path cgroup = Path.of("/sys/fs/cgroup/pids", "tspm-test-" + host.pid());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter in = new PrintWriter(host.getOutputStream(), true)) {
            assertThat(out.readLine()).isEqualTo("READY " + EXPECTED);
            Path hostFds = Path.of("/proc", Long.toString(host.pid()), "fd");

            long fdsBefore = fdsOf(hostFds).size();
            List<String> targetsBefore = targets(hostFds);
            int highest = fdsOf(hostFds).stream().mapToInt(Integer::parseInt).max().orElseThrow();
            String soft = Files.readAllLines(Path.of("/proc", Long.toString(host.pid()), "limits")).stream()
                    .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().split("\\s+")[3];
            prlimit(host.pid(), "--nofile=" + (highest + 2) + ":"); // the soft limit only: raised again below
            in.println("start");
            assertThat(out.readLine()).startsWith("FAILED FAILED").contains("Too many open files");
            prlimit(host.pid(), "--nofile=" + soft + ":");
            // awaited: the helper's sampler opens /proc files for a moment now and then
            await().untilAsserted(() -> assertThat(fdsOf(hostFds)).as("before: %s, now: %s", targetsBefore,
                    targets(hostFds)).hasSize((int) fdsBefore));
            assertThat(zombieChildrenOf(host.pid())).isEmpty();

            boolean cgroups = Files.isWritable(cgroup.getParent());
            if (cgroups) {
                Files.createDirectory(cgroup);
                Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(host.pid()));
                Files.writeString(cgroup.resolve("pids.max"), Files.readString(cgroup.resolve("pids.current")).trim());
                in.println("start");
                assertThat(out.readLine()).startsWith("FAILED FAILED").contains("Resource temporarily unavailable");
                Files.writeString(cgroup.resolve("pids.max"), "max");
                // awaited: the helper's sampler opens /proc files for a moment now and then
            await().untilAsserted(() -> assertThat(fdsOf(hostFds)).as("before: %s, now: %s", targetsBefore,
                    targets(hostFds)).hasSize((int) fdsBefore));
                assertThat(zombieChildrenOf(host.pid())).isEmpty();
            }
            in.println("start");
            assertThat(out.readLine()).isEqualTo("RUNNING");
            in.println("stop");
            assertThat(out.readLine()).isEqualTo("STOPPED");
            assumeTrue(cgroups, "no writable pids cgroup (/sys/fs/cgroup/pids): EAGAIN was not tested");
        } finally {
            host.getOutputStream().close();
            if (!host.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                host.destroyForcibly().waitFor();
            }
            if (Files.exists(cgroup)) {
                await().untilAsserted(() -> assertThat(Files.readString(cgroup.resolve("pids.current")).trim())
                        .isEqualTo("0"));
                Files.delete(cgroup);
            }
        }
    }

    private static void prlimit(long pid, String limit) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), limit).inheritIO().start();
        assertThat(p.waitFor()).as("prlimit " + limit).isZero();
    }

    private static List<String> fdsOf(Path fdDir) throws IOException {
        try (Stream<Path> s = Files.list(fdDir)) {
            return s.map(p -> p.getFileName().toString()).sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .toList();
        }
    }

    private static List<String> targets(Path fdDir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String fd : fdsOf(fdDir)) {
            try {
                out.add(fd + "=" + Files.readSymbolicLink(fdDir.resolve(fd)));
            } catch (IOException gone) {
                // closed meanwhile
            }
        }
        return out;
    }

    private static long openFds() throws IOException {
        return fdsOf(Path.of("/proc/self/fd")).size();
    }

    private static List<Long> zombieChildren() throws IOException {
        return zombieChildrenOf(ProcessHandle.current().pid());
    }

    /** Children of {@code parent} that exited and were never reaped. */
    private static List<Long> zombieChildrenOf(long parent) throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (f[0].equals("Z") && Long.parseLong(f[1]) == parent) {
                        zombies.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        return zombies;
    }
}
