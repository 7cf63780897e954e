package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many children writing at once, on the path this JVM takes (on the native one, all their pipes are
 * read by one thread): each gets every line in order, and none holds up another.
 */
class ManyChildrenOutputTest {

    /** What the build expects this run to take: "native" in the JDK 22+ profile, else "jdk". */
    private static final String EXPECTED = System.getProperty("tspm.test.expectLaunch", "jdk");

    @TempDir
    Path dir;

    @Test
    void manyChildrenWritingAtOnceEachGetEveryLineInOrder() throws Exception {
        int children = 16;
        int lines = 3000;
        String script = "i=0; while [ $i -lt " + lines + " ]; do echo \"$TSPM_INSTANCE_ID-$i\"; "
                + "echo \"e$TSPM_INSTANCE_ID-$i\" >&2; i=$((i+1)); done";
        try (Supervisor s = Supervisor.builder().logDirectory(dir)
                .addProcess("many", p -> p.shell(script).instances(children).readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.never()).logs(LogSettings.builder().noTimestamps()
                                .stdoutLevel(null).stderrLevel(null).build()))
                .build()) {
            s.start();
            await().until(() -> s.group("many").instances().stream().allMatch(
                    i -> i.state() == InstanceState.EXITED && i.outputStats().lines() == 2L * lines));
        }
        for (int id = 0; id < children; id++) {
            int c = id;
            assertThat(Files.readAllLines(dir.resolve("many-" + id + ".out.log")))
                    .isEqualTo(IntStream.range(0, lines).mapToObj(i -> c + "-" + i).toList());
            assertThat(Files.readAllLines(dir.resolve("many-" + id + ".err.log")))
                    .isEqualTo(IntStream.range(0, lines).mapToObj(i -> "e" + c + "-" + i).toList());
        }
    }

    @Test
    void aChildWritingAFloodDoesNotHoldUpAnotherChildsLines() {
        // The ticker prints a line each time the test asks for one (a file appears): each must
        // arrive while the flood goes on.
        String ticker = "i=0; while [ $i -lt 5 ]; do while [ ! -e " + dir + "/tick-$i ]; do sleep 0.01; done;"
                + " echo tick-$i; i=$((i+1)); done; exec sleep 300";
        try (Supervisor s = Supervisor.builder().logDirectory(dir)
                .addProcess("flood", p -> p.shell("yes 'flood flood flood flood flood flood flood flood'")
                        .mergeStderr(true).readyAfter(Duration.ZERO)
                        .logs(LogSettings.builder().files(false).stdoutLevel(null).build()))
                .addProcess("ticker", p -> p.shell(ticker).readyAfter(Duration.ZERO)
                        .logs(LogSettings.builder().files(false).stdoutLevel(null).build()))
                .build()) {
            s.start();
            ProcessInstance flood = s.group("flood").instance(0);
            ProcessInstance tick = s.group("ticker").instance(0);
            for (int i = 0; i < 5; i++) {
                long floodBefore = flood.outputStats().lines();
                int n = i;
                touch(dir.resolve("tick-" + i));
                await().until(() -> tick.recentOutput(10).contains("tick-" + n));
                await().until(() -> flood.outputStats().lines() > floodBefore); // still read, too
            }
            assertThat(tick.recentOutput(10)).containsExactly("tick-0", "tick-1", "tick-2", "tick-3", "tick-4");
            assertThat(flood.state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void noThreadPerChildOnTheNativePath() {
        org.junit.jupiter.api.Assumptions.assumeTrue(EXPECTED.equals("native"), "the JDK path reads each pipe on a thread");
        try (Supervisor s = Supervisor.builder().name("threads").logDirectory(dir)
                .addProcess("quiet", p -> p.shell("echo hi; exec sleep 300").instances(30).readyAfter(Duration.ZERO))
                .build()) {
            s.start();
            await().until(() -> s.group("quiet").instances().stream().allMatch(i -> i.recentOutput(1).equals(List.of("hi"))));
            List<String> ours = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.startsWith("tspm-threads-")).toList();
            assertThat(ours).noneMatch(n -> n.contains("quiet")).hasSizeLessThan(15);
        }
    }

    private static void touch(Path p) {
        try {
            Files.createFile(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
