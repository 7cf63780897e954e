package io.tspm.junit;

import io.tspm.ExitRecord;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.ProcessStartException;
import io.tspm.Supervisor;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Helper processes for JUnit 5 tests: started and ready before the tests that need them, stopped
 * (process trees and all) after them, and speaking up when a test fails.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TspmExtension helpers = TspmExtension.builder()
 *         .addProcess(ProcessSpec.builder("upstream")
 *                 .command("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1")
 *                 .freePorts()
 *                 .readinessProbe(Probes.http("http://127.0.0.1:{port}/"))
 *                 .build())
 *         .build();
 *
 * @Test
 * void callsTheUpstream(@Helper("upstream") int port) { ... }
 * }</pre>
 *
 * <ul>
 *   <li><b>When</b>: in a {@code static} field the helpers start once before all tests of the class
 *   (and of its {@code @Nested} classes, which see them too) and stop after them; in an instance
 *   field they start before each test and stop after it; with {@link Builder#shared()} they start
 *   once for the whole run, the first time a class asks, and stop when the run ends.</li>
 *   <li><b>Parameters</b>: test, lifecycle-method and constructor parameters of type
 *   {@link Supervisor}, and with {@link Helper @Helper("name")} {@link ProcessGroup},
 *   {@link ProcessInstance} and {@code int} (the instance's port).</li>
 *   <li><b>Failures</b>: helpers that do not start fail the class (or the test) with a
 *   {@link HelperFailedException} whose cause is the {@link ProcessStartException}; a failing test
 *   gets each helper's last lines attached (as a suppressed exception) and published as report
 *   entries ({@code tspm web#0}); a helper that crashed during a test fails that test, naming the
 *   helper, its exit and its last lines ({@link Builder#failOnCrash(boolean)}); the next test
 *   waits until such a helper is ready again, or fails naming it when it is given up on.</li>
 * </ul>
 *
 * Thread-safe: test classes and methods may run in parallel; each scope has its own run in the
 * JUnit store of its context.
 */
public final class TspmExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final String RUN = "run";
    private static final String MARKS = "marks";

    private final List<ProcessSpec> specs;
    private final Consumer<Supervisor.Builder> configure;
    private final String sharedKey;
    private final int outputLines;
    private final boolean failOnCrash;

    private TspmExtension(Builder b) {
        this.specs = List.copyOf(b.specs.values());
        this.configure = b.configure;
        this.sharedKey = b.sharedKey != null ? b.sharedKey : b.sharedBySpecs ? specs.toString() : null;
        this.outputLines = b.outputLines;
        this.failOnCrash = b.failOnCrash;
    }

    /** A builder with no helpers yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** The helpers' specs, in the order they were added. */
    public List<ProcessSpec> specs() {
        return specs;
    }

    /** Whether the helpers are shared by every test class of the run. */
    public boolean isShared() {
        return sharedKey != null;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Starts the helpers for the class, unless an enclosing class or the run already did. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (run(context).isEmpty()) {
            String name = context.getRequiredTestClass().getSimpleName();
            put(context, isShared() ? shared(context) : HelperRun.start(specs, configure, HelperRun.supervisorName(name),
                    "class " + name));
        }
    }

    /** Stops the helpers this class started (not those of an enclosing class, nor shared ones). */
    @Override
    public void afterAll(ExtensionContext context) {
        closeOwn(context);
    }

    /**
     * Starts the helpers for the test when no class or run holds them, else waits for those on
     * their way back from a crash to be ready; then marks their exits so far.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        HelperRun run = run(context).orElse(null);
        if (run == null) {
            run = isShared() ? shared(context) : HelperRun.start(specs, configure,
                    HelperRun.supervisorName(context.getRequiredTestClass().getSimpleName() + "."
                            + context.getRequiredTestMethod().getName()), "test " + context.getDisplayName());
            put(context, run);
        } else {
            run.awaitComingBack("test " + context.getDisplayName());
        }
        context.getStore(namespace()).put(MARKS, run.mark());
    }

    /**
     * Fails a test that passed while a helper crashed, naming it; then stops the helpers this
     * test started.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (failOnCrash && context.getExecutionException().isEmpty()) {
                List<String> crashes = crashes(context);
                if (!crashes.isEmpty()) {
                    throw new HelperFailedException(crashes.size() == 1 ? crashes.get(0) + "\n(during "
                            + context.getDisplayName() + ")" : crashes.size() + " helper crashes during "
                            + context.getDisplayName() + ":\n" + String.join("\n", crashes));
                }
            }
        } finally {
            closeOwn(context);
        }
    }

    // ---- failures -------------------------------------------------------------------------------

    /** Attaches the helpers' last lines and crashes to the test's failure, and publishes the lines. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explain(context, failure);
    }

    /** As for a test: a failing {@code @BeforeAll} method learns what the helpers said. */
    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explain(context, failure);
    }

    /** As for a test: a failing {@code @BeforeEach} method learns what the helpers said. */
    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explain(context, failure);
    }

    /** As for a test: a failing {@code @AfterEach} method learns what the helpers said. */
    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explain(context, failure);
    }

    /** As for a test: a failing {@code @AfterAll} method learns what the helpers said. */
    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw explain(context, failure);
    }

    private Throwable explain(ExtensionContext context, Throwable failure) {
        Optional<HelperRun> found = run(context);
        if (found.isEmpty()) {
            return failure;
        }
        HelperRun run = found.get();
        Map<String, String> lines = run.lastLines(outputLines);
        StringBuilder sb = new StringBuilder("helpers of ").append(run.scope()).append(" when ")
                .append(context.getDisplayName()).append(" failed:");
        for (String crash : crashes(context)) {
            sb.append('\n').append(crash);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        lines.forEach((instance, text) -> {
            sb.append("\n").append(instance).append(": ").append(text);
            entries.put("tspm " + instance, text);
        });
        failure.addSuppressed(new HelperOutput(sb.toString()));
        try {
            context.publishReportEntry(entries);
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // a report that cannot be written must not hide the failure
        }
        return failure;
    }

    private List<String> crashes(ExtensionContext context) {
        Optional<HelperRun> run = run(context);
        @SuppressWarnings("unchecked")
        Map<String, ExitRecord> marks = context.getStore(namespace()).get(MARKS, Map.class);
        return run.isEmpty() || marks == null ? List.of() : run.get().crashesSince(marks);
    }

    /** The helpers' last lines, attached to a failure; no stack trace of its own. */
    static final class HelperOutput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelperOutput(String message) {
            super(message, null, false, false);
        }
    }

    // ---- parameters -----------------------------------------------------------------------------

    /** Whether the parameter is one of this extension's: see {@link Helper} for the forms. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter p = parameterContext.getParameter();
        Class<?> type = p.getType();
        Optional<Helper> helper = parameterContext.findAnnotation(Helper.class);
        if (helper.isPresent() && specs.stream().noneMatch(s -> s.name().equals(helper.get().value()))) {
            return false; // another extension's helper
        }
        if (type == Supervisor.class) {
            return true;
        }
        if (type == ProcessGroup.class || type == ProcessInstance.class) {
            return helper.isPresent() || specs.size() == 1;
        }
        return helper.isPresent() && (type == int.class || type == Integer.class);
    }

    /** The supervisor, group, instance or port the parameter asks for. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        HelperRun run = run(extensionContext).orElseThrow(() -> new ParameterResolutionException(
                "the helpers " + names() + " are not running for " + extensionContext.getDisplayName()
                        + ": an instance field's helpers start before each test, so they cannot be constructor "
                        + "parameters; use a static field"));
        Class<?> type = parameterContext.getParameter().getType();
        if (type == Supervisor.class) {
            return run.supervisor();
        }
        Optional<Helper> helper = parameterContext.findAnnotation(Helper.class);
        String name = helper.map(Helper::value).orElseGet(() -> specs.get(0).name());
        ProcessGroup group = run.supervisor().group(name);
        if (type == ProcessGroup.class) {
            return group;
        }
        int id = helper.map(Helper::instance).orElse(0);
        if (id < 0 || id >= group.instances().size()) {
            throw new ParameterResolutionException("@Helper(\"" + name + "\", instance = " + id + ") on "
                    + parameterContext.getParameter() + ": helper '" + name + "' has instances 0.."
                    + (group.instances().size() - 1));
        }
        ProcessInstance instance = group.instance(id);
        if (type == ProcessInstance.class) {
            return instance;
        }
        return instance.port().orElseThrow(() -> new ParameterResolutionException("@Helper(\"" + name + "\") on "
                + parameterContext.getParameter() + " asks for a port, but helper '" + name + "' has none: give it "
                + "freePorts() or basePort(...)"));
    }

    // ---- where runs are kept --------------------------------------------------------------------

    /** This extension's namespace: each extension object keeps its own runs. */
    private ExtensionContext.Namespace namespace() {
        return ExtensionContext.Namespace.create(TspmExtension.class, this);
    }

    /** The run visible from {@code context}: its own, an enclosing class's, or the shared one it took. */
    private Optional<HelperRun> run(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(namespace()).get(RUN, Owned.class)).map(Owned::run);
    }

    private HelperRun shared(ExtensionContext context) {
        return SharedHelpers.of(context).get(sharedKey, specs, configure);
    }

    private void put(ExtensionContext context, HelperRun run) {
        SharedHelpers.of(context).opened(run);
        context.getStore(namespace()).put(RUN, new Owned(run, context.getUniqueId(), isShared()));
    }

    private void closeOwn(ExtensionContext context) {
        Owned owned = context.getStore(namespace()).get(RUN, Owned.class);
        if (owned != null && owned.owner.equals(context.getUniqueId())) {
            context.getStore(namespace()).remove(RUN);
            if (!owned.shared) {
                owned.run.close();
            }
        }
    }

    /** A run and the context that started it (which alone stops it); shared runs the run's end stops. */
    private record Owned(HelperRun run, String owner, boolean shared) {
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        specs.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The helpers, in a line. */
    @Override
    public String toString() {
        return "TspmExtension" + names() + (isShared() ? " shared as '" + sharedKey + "'" : "");
    }

    /** Builds a {@link TspmExtension}; build it once per field. */
    public static final class Builder {
        private final Map<String, ProcessSpec> specs = new LinkedHashMap<>();
        private Consumer<Supervisor.Builder> configure = b -> { };
        private String sharedKey;
        private boolean sharedBySpecs;
        private int outputLines = ProcessStartException.OUTPUT_LINES_IN_MESSAGE;
        private boolean failOnCrash = true;

        Builder() {
        }

        /** Adds a helper process. */
        public Builder addProcess(ProcessSpec spec) {
            Objects.requireNonNull(spec, "spec");
            if (specs.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("a helper named '" + spec.name() + "' was already added");
            }
            return this;
        }

        /** Adds a helper process built in place. */
        public Builder addProcess(String name, Consumer<ProcessSpec.Builder> configure) {
            Objects.requireNonNull(configure, "configure");
            ProcessSpec.Builder b = ProcessSpec.builder(name);
            configure.accept(b);
            return addProcess(b.build());
        }

        /**
         * Sets up the supervisor beyond its processes (start timeout, log directory, listeners...);
         * called for every supervisor the extension builds. The supervisor's name is set before.
         */
        public Builder supervisor(Consumer<Supervisor.Builder> configure) {
            this.configure = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /**
         * Shares the helpers with every test class of the run that declares the same helpers (equal
         * specs): the first class that needs them starts them, and they stop when the run ends.
         */
        public Builder shared() {
            this.sharedBySpecs = true;
            this.sharedKey = null;
            return this;
        }

        /**
         * Shares the helpers under {@code key} with every test class of the run that uses the key:
         * the first class's specs run, and a class declaring other process names under the key is
         * refused. They stop when the run ends. Prefer this to {@link #shared()} when a spec holds
         * Java callbacks (a lambda probe or hook), which make specs of two classes differ.
         */
        public Builder shared(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("shared key must not be blank, but was '" + key + "'");
            }
            this.sharedKey = key;
            this.sharedBySpecs = false;
            return this;
        }

        /** How many of each helper's last lines a failing test is told (default 20, 1..10000). */
        public Builder outputLines(int lines) {
            if (lines < 1 || lines > 10_000) {
                throw new IllegalArgumentException("outputLines must be in 1..10000, but was " + lines);
            }
            this.outputLines = lines;
            return this;
        }

        /** Whether a helper crashing during a test fails the test (default true). */
        public Builder failOnCrash(boolean fail) {
            this.failOnCrash = fail;
            return this;
        }

        /** The extension; at least one helper is needed. */
        public TspmExtension build() {
            if (specs.isEmpty()) {
                throw new IllegalStateException("a TspmExtension needs at least one helper: addProcess(...)");
            }
            return new TspmExtension(this);
        }
    }
}
