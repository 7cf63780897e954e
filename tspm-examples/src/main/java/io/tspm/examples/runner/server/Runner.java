package io.tspm.examples.runner.server;

import io.tspm.ApplyPlan;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.ProcessGroup;
import io.tspm.ProcessSpec;
import io.tspm.StopOutcome;
import io.tspm.Supervisor;
import io.tspm.config.ConfigWriter;
import io.tspm.config.SupervisorSettings;
import io.tspm.config.MetricsSettings;
import io.tspm.config.TspmConfig;
import io.tspm.event.ProcessAdded;
import io.tspm.event.ProcessRemoved;
import io.tspm.event.ProcessStarting;
import io.tspm.event.ProcessStopped;
import io.tspm.event.Scaled;
import io.tspm.event.SupervisorEvent;
import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.RunnerException;
import io.tspm.examples.runner.state.ApiToken;
import io.tspm.examples.runner.state.DumpFile;
import io.tspm.examples.runner.state.StateDir;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One runner: a supervisor built from a config (or the saved dump), its control API, its
 * {@code .tspm/} files and its autosave. The foreground {@code run}, {@code dev} and the detached
 * runner of {@code start} are this class with another screen. Owns what it creates: {@link #shutdown()}
 * stops the processes, closes the API and removes the pid and port files.
 */
public final class Runner {

    /** Where a runner is in its life. */
    public enum Phase {
        /** Opened, processes starting. */
        STARTING,
        /** Every autostart process started. */
        RUNNING,
        /** The start failed; the runner stops. */
        FAILED,
        /** Stopping its processes. */
        STOPPING,
        /** Everything stopped. */
        STOPPED
    }

    private final RunnerOptions options;
    private final StateDir state;
    private final PrintStream notices;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger killed = new AtomicInteger();
    private final Set<String> autostartTurnedOff = ConcurrentHashMap.newKeySet();
    private final Instant openedAt = Instant.now();
    private volatile Phase phase = Phase.STARTING;
    private volatile String failure;
    private FileChannel lockChannel;
    private FileLock lock;
    private Supervisor supervisor;
    private SupervisorSettings settings = SupervisorSettings.NONE;
    /** Whether each instance gets a metrics file that /metrics includes (the config's metrics.textfiles). */
    private boolean metricsFiles = true;
    private Path configFile;
    private Set<String> stoppedAtResurrect = Set.of();
    private ControlServer server;
    private Autosave autosave;

    /** A runner with {@code options}; {@code notices} gets its warnings and errors. */
    public Runner(RunnerOptions options, PrintStream notices) {
        this.options = options;
        this.state = options.state();
        this.notices = notices;
    }

    /**
     * Takes the state directory (refused when another runner holds it), loads the config, builds
     * the supervisor, opens the control API and writes the pid, port and token files. Nothing is
     * started yet.
     */
    public void open() throws IOException {
        state.create();
        Files.deleteIfExists(state.exit());
        lockChannel = FileChannel.open(state.root().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new RunnerException(ExitCodes.ALREADY_RUNNING, "a runner already runs in " + state
                    + state.livePid().map(p -> " (pid " + p + ")").orElse("")
                    + ": drive it with `tspm list`, `tspm apply`, or stop it with `tspm kill`");
        }
        try {
            List<ProcessSpec> specs = load();
            Files.createDirectories(metricsDirectory());
            Supervisor.Builder builder = settings.applyTo(Supervisor.builder());
            if (settings.name() == null) {
                builder.name("tspm");
            }
            if (settings.logDirectory() == null) {
                builder.logDirectory(state.logs());
            }
            specs.forEach(builder::addProcess);
            builder.addListener(this::onEvent);
            supervisor = builder.build();
            if (options.autosave()) {
                autosave = new Autosave(this::autosaveNow);
            }
            ApiToken token = ApiToken.create(state.token());
            server = ControlServer.open(this, token, options.listenHost(), options.listenPort(),
                    options.allowRemote());
            Files.writeString(state.pid(), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            if (configFile != null) {
                Files.writeString(state.config(), configFile + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(state.port(), server.port() + "\n", StandardCharsets.US_ASCII);
        } catch (RuntimeException | IOException e) {
            release();
            throw e;
        }
    }

    private List<ProcessSpec> load() {
        if (options.resurrect()) {
            DumpFile.Dump dump = DumpFile.of(state).load(notices::println);
            settings = dump.supervisor();
            stoppedAtResurrect = dump.stopped();
            List<ProcessSpec> specs = new ArrayList<>();
            for (ProcessSpec s : prepare(dump.specs(), state.root().getParent())) {
                if (dump.stopped().contains(s.name()) && s.autostart()) {
                    autostartTurnedOff.add(s.name());
                    s = s.toBuilder().autostart(false).build();
                }
                specs.add(s);
            }
            return specs;
        }
        configFile = options.config().toAbsolutePath().normalize();
        TspmConfig config = options.load(configFile);
        config.warnings().forEach(w -> notices.println("warning: " + w));
        settings = config.supervisor();
        metricsFiles = config.metrics().textfiles();
        return prepare(config.processes(), configFile.getParent());
    }

    /**
     * The specs as the runner runs them: relative paths are the config's directory's (as PM2
     * does), and in dev mode every process watches its directory.
     */
    List<ProcessSpec> prepare(List<ProcessSpec> specs, Path baseDir) {
        List<ProcessSpec> out = new ArrayList<>();
        for (ProcessSpec s : specs) {
            ProcessSpec.Builder b = s.toBuilder();
            Path dir = s.workingDirectory().map(d -> baseDir.resolve(d).normalize()).orElse(baseDir);
            b.workingDirectory(dir);
            if (options.dev() && s.watchPaths().isEmpty()) {
                b.watch(dir).watchIgnore(DevWatch.IGNORED);
            }
            if (metricsFiles && !s.environment().containsKey(MetricsSettings.TEXTFILE_VAR)) {
                // Each instance may write Prometheus text here (temp file, rename); /metrics includes it.
                b.env(MetricsSettings.TEXTFILE_VAR, metricsFileVar());
            }
            out.add(b.build());
        }
        return out;
    }

    /** The metrics file the runner gives each instance, as a template. */
    private String metricsFileVar() {
        return metricsDirectory().resolve("{name}-{instance}.prom").toString();
    }

    /** Where instances write their metrics files. */
    Path metricsDirectory() {
        return state.root().resolve("metrics");
    }

    /** The metrics file of one instance, or null when instances get none. */
    Path metricsFile(io.tspm.InstanceSnapshot instance) {
        return metricsFiles ? metricsDirectory().resolve(instance.process() + "-" + instance.instanceId() + ".prom")
                : null;
    }

    /** Starts every autostart process and waits until they are ready; throws as {@link Supervisor#start()}. */
    public void startProcesses() {
        try {
            supervisor.start();
            for (ProcessGroup g : supervisor.groups()) {
                // A process saved running whose spec says autostart false: it ran, so it runs again.
                if (options.resurrect() && !g.spec().autostart() && !stoppedAtResurrect.contains(g.name())
                        && !autostartTurnedOff.contains(g.name())) {
                    g.start();
                }
            }
            if (phase == Phase.STARTING) {
                phase = Phase.RUNNING;
            }
        } catch (RuntimeException e) {
            if (phase == Phase.STARTING) {
                failure = e.getMessage();
                phase = Phase.FAILED;
            }
            throw e;
        }
    }

    private void onEvent(SupervisorEvent e) {
        if (e instanceof ProcessStopped stopped && stopped.outcome() == StopOutcome.KILLED) {
            killed.incrementAndGet();
        }
        if (autosave != null && (e instanceof Scaled || e instanceof ProcessAdded || e instanceof ProcessRemoved
                || e instanceof ProcessStopped || e instanceof ProcessStarting)) {
            autosave.changed();
        }
    }

    private void autosaveNow() {
        try {
            save();
        } catch (RuntimeException | IOException e) {
            notices.println("warning: autosave to " + state.dump() + " failed: " + e.getMessage());
        }
    }

    /** Writes the running specs and the stopped processes to {@code .tspm/dump.yaml}; returns the file. */
    public synchronized Path save() throws IOException {
        List<ProcessSpec> specs = new ArrayList<>();
        Set<String> stopped = new LinkedHashSet<>();
        for (ProcessSpec s : ConfigWriter.specsOf(supervisor)) {
            ProcessSpec.Builder b = s.toBuilder();
            if (autostartTurnedOff.contains(s.name())) {
                b.autostart(true);
            }
            if (metricsFileVar().equals(s.environment().get(MetricsSettings.TEXTFILE_VAR))) {
                // The runner's, given again at resurrect: not the user's.
                java.util.Map<String, String> env = new java.util.LinkedHashMap<>(s.environment());
                env.remove(MetricsSettings.TEXTFILE_VAR);
                b.env(env);
            }
            specs.add(b.build());
        }
        for (ProcessGroup g : supervisor.groups()) {
            List<InstanceSnapshot> instances = g.snapshot();
            if (!instances.isEmpty() && instances.stream().allMatch(i -> i.state() == InstanceState.STOPPED)) {
                stopped.add(g.name());
            }
        }
        DumpFile.of(state).save(settings, specs, stopped);
        return state.dump();
    }

    /**
     * Brings the running supervisor to the saved dump: {@link Supervisor#apply}, then the
     * processes saved stopped are stopped and the others started. Warnings (a damaged dump, the
     * backup used instead) go to {@code warnings}.
     */
    public synchronized ApplyPlan resurrect(List<String> warnings) {
        DumpFile.Dump dump = DumpFile.of(state).load(warnings::add);
        warnings.forEach(notices::println);
        ApplyPlan plan = supervisor.apply(prepare(dump.specs(), state.root().getParent()));
        autostartTurnedOff.clear();
        for (ProcessGroup g : supervisor.groups()) {
            if (dump.stopped().contains(g.name())) {
                g.stop();
            } else if (g.snapshot().stream().allMatch(i -> !i.state().isActive())) {
                g.start();
            }
        }
        return plan;
    }

    /** Loads {@code file} (or the config the runner started with) and applies it, or only plans it. */
    public synchronized ApplyPlan apply(Path file, boolean dryRun) {
        Path f = file != null ? file : configFile;
        if (f == null) {
            throw new ApiException(400, "this runner was restored from a dump: name the config to apply");
        }
        TspmConfig config = options.load(f);
        List<ProcessSpec> specs = prepare(config.processes(), f.toAbsolutePath().normalize().getParent());
        if (dryRun) {
            return supervisor.plan(specs);
        }
        ApplyPlan plan = supervisor.apply(specs);
        autostartTurnedOff.clear();
        return plan;
    }

    /** Asks the runner to stop everything and end ({@code kill}, Ctrl-C, SIGTERM). */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Waits until {@link #requestStop()}. */
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    /** Waits up to {@code timeout} for {@link #requestStop()}; whether it came. */
    public boolean awaitStopRequest(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops every process, closes the supervisor and the API, removes the pid and port files.
     * Returns the exit code: {@link ExitCodes#OK} when every process stopped on its stop signal,
     * {@link ExitCodes#NOT_GRACEFUL} when one had to be killed, {@link ExitCodes#FAILURE} after a
     * failed start.
     */
    public int shutdown() {
        boolean failed = phase == Phase.FAILED;
        phase = Phase.STOPPING;
        if (autosave != null) {
            autosave.close();
        }
        try {
            if (supervisor != null) {
                supervisor.stop();
                supervisor.close();
            }
        } finally {
            phase = Phase.STOPPED;
            release();
        }
        int code = failed ? ExitCodes.FAILURE : killed.get() == 0 ? ExitCodes.OK : ExitCodes.NOT_GRACEFUL;
        String words = failed ? "stopped after a failed start" : killed.get() == 0
                ? "every process stopped gracefully"
                : killed.get() + " instance(s) had to be killed at their stop timeout";
        try {
            Files.writeString(state.exit(), code + " " + words + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            notices.println("warning: cannot write " + state.exit() + ": " + e.getMessage());
        }
        return code;
    }

    private void release() {
        if (server != null) {
            server.close();
        }
        try {
            if (lock != null) {
                Files.deleteIfExists(state.port());
                Files.deleteIfExists(state.pid());
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + state + ": " + e.getMessage(), e);
        }
    }

    /** How many instances had to be killed (SIGKILL at the stop timeout) so far. */
    public int killedCount() {
        return killed.get();
    }

    /** The supervisor, once {@link #open()} returned. */
    public Supervisor supervisor() {
        return supervisor;
    }

    /** Where the runner is in its life. */
    public Phase phase() {
        return phase;
    }

    /** Why the start failed, when it did. */
    public String failure() {
        return failure;
    }

    /** The config it runs, null when restored from a dump. */
    public Path configFile() {
        return configFile;
    }

    /** Its state directory. */
    public StateDir state() {
        return state;
    }

    /** When it was opened. */
    public Instant openedAt() {
        return openedAt;
    }

    /** The control API's port. */
    public int port() {
        return server.port();
    }
}
