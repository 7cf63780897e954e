package io.tspm.testsupport;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs test classes of a test's own (static nested fixtures, which the build's run leaves out)
 * through the JUnit Platform Launcher, and records what each test and container did.
 */
public final class JupiterRun {

    /** One finished test or container: its display name, whether it was a test, its result. */
    public record Outcome(String name, boolean test, TestExecutionResult.Status status, Optional<Throwable> error) {
        /** The failure's message with its causes' and suppressed exceptions' messages, for assertions. */
        public String explained() {
            return error.map(JupiterRun::explain).orElse("");
        }
    }

    /** Everything a run reported. */
    public record Result(List<Outcome> outcomes, List<String> skipped, List<ReportEntry> entries) {
        /** The outcomes of tests (not containers) with this status. */
        public List<Outcome> tests(TestExecutionResult.Status status) {
            return outcomes.stream().filter(o -> o.test() && o.status() == status).collect(Collectors.toList());
        }

        /** The failed outcomes, tests and containers. */
        public List<Outcome> failures() {
            return outcomes.stream().filter(o -> o.status() != TestExecutionResult.Status.SUCCESSFUL)
                    .collect(Collectors.toList());
        }

        /** The outcome of a class (its display name ends with {@code name}) or method ({@code name()}). */
        public Outcome outcome(String name) {
            return outcomes.stream().filter(o -> o.name().equals(name) || o.name().endsWith("$" + name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no outcome named " + name + " in " + outcomes));
        }
    }

    /** The configuration parameter that enables {@link Fixture} classes. */
    public static final String FIXTURES = "tspm.test.fixtures";

    private JupiterRun() {
    }

    /** Runs {@code classes} with the given configuration parameters. */
    public static Result run(Map<String, String> config, Class<?>... classes) {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request().configurationParameters(config)
                .configurationParameter(FIXTURES, "true");
        for (Class<?> c : classes) {
            b.selectors(selectClass(c));
        }
        LauncherDiscoveryRequest request = b.build();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        List<ReportEntry> entries = Collections.synchronizedList(new ArrayList<>());
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                outcomes.add(new Outcome(id.getDisplayName(), id.isTest(), result.getStatus(), result.getThrowable()));
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                skipped.add(id.getDisplayName() + ": " + reason);
            }

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entries.add(entry);
            }
        });
        return new Result(List.copyOf(outcomes), List.copyOf(skipped), List.copyOf(entries));
    }

    /** Runs {@code classes} with no configuration beyond the class path's. */
    public static Result run(Class<?>... classes) {
        return run(Map.of(), classes);
    }

    /** A throwable's message, its causes' and its suppressed exceptions', one per line. */
    public static String explain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        explain(t, sb, 0);
        return sb.toString();
    }

    private static void explain(Throwable t, StringBuilder sb, int depth) {
        if (t == null || depth > 8) {
            return;
        }
        sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        for (Throwable s : t.getSuppressed()) {
            explain(s, sb, depth + 1);
        }
        explain(t.getCause(), sb, depth + 1);
    }
}
