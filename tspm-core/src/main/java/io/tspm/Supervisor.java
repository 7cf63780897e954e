package io.tspm;

import io.tspm.event.SupervisorListener;
import io.tspm.internal.SupervisorCore;
import io.tspm.time.Scheduler;
import io.tspm.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Runs and watches a set of child processes. Built by {@link #builder()}; {@link #start()} starts
 * the autostart processes (dependencies first), {@link #stop()} stops every process (dependents
 * first, the rest in parallel), {@link #close()} stops and releases the supervisor's threads.
 * All three are idempotent and thread-safe.
 *
 * <pre>{@code
 * try (Supervisor supervisor = Supervisor.builder()
 *         .addProcess(ProcessSpec.builder("web").command("python3", "-m", "http.server").basePort(8000).build())
 *         .build()) {
 *     supervisor.start();
 *     supervisor.list().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Children never outlive the supervisor: {@code close()} and a JVM shutdown hook stop them, and
 * on Linux a JVM killed by SIGKILL takes them down too (see {@link Builder#orphanProtection}).
 */
public final class Supervisor implements AutoCloseable {

    private final SupervisorCore core;

    private Supervisor(SupervisorCore core) {
        this.core = core;
    }

    /** A builder for a supervisor. */
    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return core.name();
    }

    /**
     * Starts every autostart process, each after the processes it depends on are running, and
     * waits until all are running and ready, up to the start timeout. Throws
     * {@link ProcessStartException} for the first that cannot start or is not ready in time
     * (naming its state, its probe's last result and its last lines of output). A failed start
     * stops, before it throws, the processes it started, so nothing is left running (unless
     * {@link Builder#stopOnStartFailure(boolean)} says otherwise).
     */
    public void start() {
        core.start();
    }

    /**
     * {@link #start()} without waiting: the future fails as {@code start()} throws, but nothing is
     * stopped for it (the restart policies go on working), and it has no time limit.
     */
    public CompletableFuture<Void> startAsync() {
        return core.startAsync();
    }

    /** Stops every process, dependents before their dependencies, and waits until all are stopped. */
    public void stop() {
        core.stop();
    }

    /**
     * Stops everything, then releases the supervisor's threads. From the moment it is called no
     * instance starts any more (a concurrent start fails), so nothing started during the close can
     * outlive it. The supervisor cannot be started again.
     */
    @Override
    public void close() {
        core.close();
    }

    /**
     * Adds a process. When the supervisor is started and the spec is autostart, the process is
     * started too (its dependencies first) and this waits until it runs, as {@link #start()}. All
     * or nothing: when this throws (a bad spec, a watch that cannot be set up, a failed start),
     * the process is not registered, and nothing of it runs.
     */
    public ProcessGroup add(ProcessSpec spec) {
        return core.add(spec);
    }

    /**
     * Stops the process and removes it. Refused while another process depends on it. From the
     * moment it is called its instances refuse to start.
     */
    public void remove(String processName) {
        core.remove(processName);
    }

    /** The process named {@code processName}; {@link NoSuchProcessException} if there is none. */
    public ProcessGroup group(String processName) {
        return core.group(processName);
    }

    /** Every process, in the order they were added. */
    public List<ProcessGroup> groups() {
        return core.groups();
    }

    /** A snapshot of every instance of every process. */
    public List<InstanceSnapshot> list() {
        return core.list();
    }

    /** A snapshot of every instance of one process: a shortcut to that group in {@link #snapshot()}. */
    public List<InstanceSnapshot> describe(String processName) {
        return core.describe(processName);
    }

    /**
     * Everything the supervisor runs, as one immutable value: per process its namespace, labels,
     * spec as it runs now and instances (state, pid, port, ready, restarts, uptime, last exit, each
     * probe's last word, resources, output counters). Each instance is read at once under its own
     * lock, so an instance is consistent in itself; two instances may be a moment apart.
     */
    public SupervisorSnapshot snapshot() {
        return core.snapshot();
    }

    /**
     * Waits until every instance of the process is RUNNING and ready. Throws
     * {@link ProcessStartException} at once when one is stopped, fails or exits for good, and at
     * the timeout, naming the instances not ready, their probes' last results and last lines.
     */
    public void awaitReady(String processName, Duration timeout) {
        core.awaitReady(processName, timeout);
    }

    /** Restarts every process, dependencies first. */
    public void restartAll() {
        core.restartAll();
    }

    /** Starts the processes of a namespace (and what they depend on) and waits until they run. */
    public void startNamespace(String namespace) {
        core.startNamespace(namespace);
    }

    /** Stops the processes of a namespace, dependents first. */
    public void stopNamespace(String namespace) {
        core.stopNamespace(namespace);
    }

    /** Restarts the processes of a namespace: stopped dependents first, started dependencies first. */
    public void restartNamespace(String namespace) {
        core.restartNamespace(namespace);
    }

    /**
     * Brings a running supervisor to a new list of specs, doing only what each change needs:
     * processes gone from the list are stopped and removed (dependents first), new ones added
     * (and started when the supervisor runs), a change no process needs (labels, namespace,
     * autostart, dependencies) is taken as it is, a change of the instance count scales, any
     * other change replaces the group's processes by a rolling reload (no downtime), and equal
     * specs are left alone. Returns what it did, one line per process in its {@code toString}.
     * A step that fails stops the apply, with what was done before it in the message.
     */
    public ApplyPlan apply(List<ProcessSpec> specs) {
        return core.apply(specs);
    }

    /** What {@link #apply(List)} would do, without doing it (a dry run). */
    public ApplyPlan plan(List<ProcessSpec> specs) {
        return core.plan(specs);
    }

    /** The processes whose labels {@code selector} matches, in the order they were added. */
    public List<ProcessGroup> groups(LabelSelector selector) {
        return core.groups(selector);
    }

    /**
     * Starts the processes whose labels {@code selector} matches (and what they depend on), and
     * waits until they are ready, as {@link #start()} does.
     */
    public void start(LabelSelector selector) {
        core.start(selector);
    }

    /** Stops the processes whose labels {@code selector} matches, dependents first. */
    public void stop(LabelSelector selector) {
        core.stop(selector);
    }

    /** Restarts the processes whose labels {@code selector} matches: stopped dependents first, started dependencies first. */
    public void restart(LabelSelector selector) {
        core.restart(selector);
    }

    /** Each namespace with the names of its processes (the seed's {@code groups} command). */
    public Map<String, List<String>> namespaces() {
        return core.namespaces();
    }

    /**
     * Sets the restart count, crash-loop window and backoff of every instance of a process back to
     * zero (PM2's {@code reset}); the exit history stays.
     */
    public void reset(String processName) {
        core.reset(processName, false);
    }

    /** {@link #reset(String)}, and with {@code clearExitHistory} the exit histories and crash counts too. */
    public void reset(String processName, boolean clearExitHistory) {
        core.reset(processName, clearExitHistory);
    }

    /** The directory where processes write their log files by default, if one was set. */
    public java.util.Optional<java.nio.file.Path> logDirectory() {
        return core.logDirectory();
    }

    /** Empties every open log file, as PM2's {@code flush}; rotated files stay. Lines keep coming. */
    public void flushLogs() {
        core.flushLogs();
    }

    /**
     * Closes and reopens every log file by name, as PM2's {@code reloadLogs}: after an outside tool
     * (logrotate) moved the files away, new lines go to new files under the old names.
     */
    public void reopenLogs() {
        core.reopenLogs();
    }

    /**
     * Adds a listener: it gets the events delivered from now on, in order, on the supervisor's event
     * thread. An event published while the supervisor had no listener at all is not kept for one
     * added later.
     */
    public void addListener(SupervisorListener listener) {
        core.addListener(listener);
    }

    public void removeListener(SupervisorListener listener) {
        core.removeListener(listener);
    }

    /**
     * How many events the listeners did not get because they were too far behind (64 Ki events
     * waiting): a listener should return quickly and hand slow work to a thread of its own.
     */
    public long droppedEvents() {
        return core.droppedEvents();
    }

    /**
     * The pid of the companion process that kills the children if this JVM dies, when one runs
     * (Linux, orphan protection on, after the first spawn).
     */
    public OptionalLong reaperPid() {
        return core.reaperPid();
    }

    @Override
    public String toString() {
        return core.toString();
    }

    /** Builds a {@link Supervisor}. */
    public static final class Builder {
        private String name = "supervisor";
        private final Map<String, ProcessSpec> specs = new LinkedHashMap<>();
        private final List<SupervisorListener> listeners = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private Scheduler scheduler;
        private Duration startTimeout = Duration.ofSeconds(60);
        private boolean shutdownHook = true;
        private boolean orphanProtection = true;
        private boolean parentDeathSignal;
        private boolean stopOnStartFailure = true;
        private java.nio.file.Path logDirectory;
        private Duration sampleInterval = Duration.ofSeconds(1);
        private boolean nativeLaunch = true;

        Builder() {
        }

        /** Names the supervisor's threads ({@code tspm-<name>-...}); default "supervisor". */
        public Builder name(String name) {
            this.name = ProcessSpec.checkName("name", name);
            return this;
        }

        public Builder addProcess(ProcessSpec spec) {
            Objects.requireNonNull(spec, "spec");
            if (specs.containsKey(spec.name())) {
                throw new IllegalArgumentException("a process named '" + spec.name() + "' was already added");
            }
            specs.put(spec.name(), spec);
            return this;
        }

        /** Adds the process {@code configure} describes. */
        public Builder addProcess(String processName, Consumer<ProcessSpec.Builder> configure) {
            Objects.requireNonNull(configure, "configure");
            ProcessSpec.Builder b = ProcessSpec.builder(processName);
            configure.accept(b);
            return addProcess(b.build());
        }

        public Builder addListener(SupervisorListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The clock for event timestamps (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The ticker for uptimes and delays (default {@link System#nanoTime()}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The scheduler for delays and polls (default one daemon thread owned by the supervisor). */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The directory where every process writes its log files unless its {@link LogSettings}
         * say otherwise (default none: no files).
         */
        public Builder logDirectory(java.nio.file.Path directory) {
            this.logDirectory = Objects.requireNonNull(directory, "logDirectory");
            return this;
        }

        /**
         * How often the CPU, memory and threads of every running instance's process tree are
         * sampled (default 1 s; zero: never, and memory limits are not enforced).
         */
        public Builder sampleInterval(Duration interval) {
            this.sampleInterval = Durations.nonNegative("sampleInterval", interval);
            return this;
        }

        /**
         * Whether a failed {@link Supervisor#start()} (or {@code add}, {@code startNamespace}) stops
         * the processes it started before it throws (default true), so a failed test helper leaves
         * nothing running. False keeps them as they are (a crash-looping one keeps being restarted
         * until {@code stop()} or {@code close()}).
         */
        public Builder stopOnStartFailure(boolean stop) {
            this.stopOnStartFailure = stop;
            return this;
        }

        /**
         * How long {@link Supervisor#start()} waits for every process to run, and how long every
         * other blocking call (a group's or an instance's start, restart, scale, reload, awaitReady)
         * waits when not given a timeout (default 60 s).
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Durations.positive("startTimeout", timeout);
            return this;
        }

        /**
         * Whether a JVM shutdown hook (installed when the supervisor is built, removed by
         * {@link Supervisor#close()}) stops every process on normal JVM exit (default true).
         */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * Whether children die with the JVM even when it is killed by SIGKILL (default true): on
         * Linux each child runs in its own session, and a companion reaper process kills those
         * sessions (children and grandchildren) when the JVM's end of its pipe closes. Pids are
         * checked by start time, so a reused pid is spared.
         */
        public Builder orphanProtection(boolean enabled) {
            this.orphanProtection = enabled;
            return this;
        }

        /**
         * Also gives each child the kernel's parent-death signal ({@code setpriv --pdeathsig KILL},
         * tied to the supervisor's launcher threads), so a direct child dies with the JVM even if the
         * companion reaper was killed too (default false). It costs one more exec per spawn,
         * measured at about 0.4 ms of CPU, and protects the direct child only, not grandchildren.
         */
        public Builder parentDeathSignal(boolean enabled) {
            this.parentDeathSignal = enabled;
            return this;
        }

        /**
         * Whether children may be spawned natively (default true): on Linux, on JDK 22 or newer, with
         * native access enabled ({@code --enable-native-access=io.tspm.core}, or {@code ALL-UNNAMED} on
         * the class path), each child is one {@code posix_spawn} in its own session, its exit comes
         * through a pidfd to one thread for all children, and every signal goes through that pidfd (no
         * pid-reuse window). False forces the JDK's {@link ProcessBuilder} path, as
         * {@code -Dtspm.launch=jdk} does for every supervisor of the JVM. The supervisor logs once
         * which path it took, and why.
         */
        public Builder nativeLaunch(boolean enabled) {
            this.nativeLaunch = enabled;
            return this;
        }

        /** Checks that every dependency is declared and that there is no cycle. */
        public Supervisor build() {
            return new Supervisor(new SupervisorCore(new SupervisorCore.Settings(name, List.copyOf(specs.values()),
                    List.copyOf(listeners), clock, ticker, scheduler, startTimeout, shutdownHook, orphanProtection,
                    parentDeathSignal, stopOnStartFailure, logDirectory, sampleInterval, nativeLaunch)));
        }
    }
}
