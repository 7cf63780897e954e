package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.tspm.ProcessSpec;
import io.tspm.examples.helpers.Postgres;
import io.tspm.junit.TspmExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs test classes with helpers through the JUnit Platform Launcher: how long from a class's
 * start to its first test, and what is left after them (no tspm thread, no process). The build
 * runs 10 classes; {@code -Dtspm.figures=true} runs 100, and PostgreSQL per class and shared, and
 * prints the figures.
 */
class HelperFiguresTest {

    private static volatile boolean inLauncher;

    static boolean inLauncher() {
        return inLauncher;
    }

    /** A helper that is ready at once: spawned is ready. */
    abstract static class ReadyAtOnce {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder()
                .addProcess(ProcessSpec.builder("sleeper").command("sleep", "60").freePorts().readyAfter(Duration.ZERO)
                        .build())
                .build();

        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }

    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R0 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R1 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R2 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R3 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R4 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R5 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R6 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R7 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R8 extends ReadyAtOnce { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class R9 extends ReadyAtOnce { }

    private static final List<Class<?>> READY = List.of(R0.class, R1.class, R2.class, R3.class, R4.class, R5.class,
            R6.class, R7.class, R8.class, R9.class);

    abstract static class OnSharedPostgres {
        @RegisterExtension
        static final TspmExtension db = Postgres.shared();

        @Test
        void first() {
        }
    }

    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class S0 extends OnSharedPostgres { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class S1 extends OnSharedPostgres { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class S2 extends OnSharedPostgres { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class S3 extends OnSharedPostgres { }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class S4 extends OnSharedPostgres { }

    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class P0 {
        @RegisterExtension static final TspmExtension db = Postgres.perClass();
        @Test void first() { }
    }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class P1 {
        @RegisterExtension static final TspmExtension db = Postgres.perClass();
        @Test void first() { }
    }
    @EnabledIf("io.tspm.examples.HelperFiguresTest#inLauncher") static class P2 {
        @RegisterExtension static final TspmExtension db = Postgres.perClass();
        @Test void first() { }
    }

    /** Milliseconds from each class's start to its first test, in run order; failures thrown. */
    static List<Double> run(List<Class<?>> classes) {
        Map<String, Long> classStart = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Double> out = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        classes.forEach(c -> b.selectors(selectClass(c)));
        inLauncher = true;
        try {
            LauncherFactory.create().execute(b.build(), new TestExecutionListener() {
                @Override
                public void executionStarted(TestIdentifier id) {
                    long now = System.nanoTime();
                    if (id.getSource().filter(ClassSource.class::isInstance).isPresent() && id.isContainer()) {
                        classStart.put(id.getUniqueId(), now);
                    } else if (id.isTest()) {
                        String parent = id.getParentId().orElse("");
                        Long start = classStart.get(parent);
                        if (start != null && seen.add(parent)) {
                            out.add((now - start) / 1e6);
                        }
                    }
                }

                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
                    }
                }
            });
        } finally {
            inLauncher = false;
        }
        assertThat(failures).isEmpty();
        return List.copyOf(out);
    }

    private static String describe(List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return String.format("n=%d median %.1f ms, min %.1f, p90 %.1f, max %.1f", sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get((int) (sorted.size() * 0.9)),
                sorted.get(sorted.size() - 1));
    }

    private static List<String> tspmThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tspm-")).sorted().collect(Collectors.toList());
    }

    private static List<String> processes() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).collect(Collectors.toList());
    }

    /** Waits (up to 5 s) until nothing of TSPM is left: a supervisor's threads end just after its close. */
    private static void awaitNothingLeft() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    assertThat(tspmThreads()).as("tspm threads").isEmpty();
                    assertThat(processes()).as("processes").isEmpty();
                });
    }

    @Test
    void classesWithHelpersLeaveNoThreadAndNoProcessBehind() {
        boolean figures = Boolean.getBoolean("tspm.figures");
        int rounds = figures ? 10 : 1;
        int threadsBefore = Thread.getAllStackTraces().size();
        List<Double> ready = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            ready.addAll(run(READY));
        }
        List<String> threadsLeft = tspmThreads();
        List<String> processesLeft = processes();
        long waited = System.nanoTime();
        awaitNothingLeft();
        double waitedMs = (System.nanoTime() - waited) / 1e6;
        assertThat(ready).hasSize(10 * rounds);
        if (!figures) {
            return;
        }
        System.out.println("figures: ready at once: " + describe(ready.subList(10, ready.size())) + " (first round, JIT "
                + "cold: " + describe(ready.subList(0, 10)) + ")");
        System.out.println("figures: after " + ready.size() + " classes: tspm threads " + threadsLeft.size()
                + ", processes " + processesLeft.size() + " right after the run; none " + String.format("%.0f", waitedMs)
                + " ms later; JVM threads " + threadsBefore + " before, "
                + Thread.getAllStackTraces().size() + " after");
        if (Postgres.missing().isEmpty()) {
            List<Double> perClass = run(List.of(P0.class, P1.class, P2.class));
            System.out.println("figures: PostgreSQL per class: " + describe(perClass));
            List<Double> shared = run(List.of(S0.class, S1.class, S2.class, S3.class, S4.class));
            System.out.println("figures: PostgreSQL shared: first class " + String.format("%.1f ms", shared.get(0))
                    + ", the others " + describe(shared.subList(1, shared.size())));
            System.out.println("figures: right after the PostgreSQL runs: tspm threads " + tspmThreads().size()
                    + ", processes " + processes().size());
            awaitNothingLeft();
        }
    }
}
