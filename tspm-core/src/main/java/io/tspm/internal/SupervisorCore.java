package io.tspm.internal;

import io.tspm.ApplyPlan;
import io.tspm.GroupSnapshot;
import io.tspm.Human;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.NoSuchProcessException;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.ProcessStartException;
import io.tspm.SupervisorSnapshot;
import io.tspm.TspmException;
import io.tspm.event.ProcessAdded;
import io.tspm.event.ProcessRemoved;
import io.tspm.event.SupervisorListener;
import io.tspm.time.Scheduler;
import io.tspm.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link io.tspm.Supervisor} does: its groups, their dependency order, the lifecycle and
 * the shutdown hook. The API class only delegates here, so the engine's types stay package-private;
 * this is the one public entry into the engine.
 */
public final class SupervisorCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(io.tspm.Supervisor.class);

    private enum Lifecycle { NEW, STARTED, STOPPED, CLOSED }

    private final String name;
    private final Engine engine;
    private final Duration startTimeout;
    private final boolean useShutdownHook;
    private final java.nio.file.Path logDirectory;
    private final boolean stopOnStartFailure;
    /** Private: users hold the supervisor, and must not be able to block it by locking on it. */
    private final Object lock = new Object();
    private final Map<String, ManagedGroup> groups = new LinkedHashMap<>(); // guarded by lock
    private Lifecycle lifecycle = Lifecycle.NEW; // guarded by lock
    private java.time.Instant startedAt; // guarded by lock
    private Thread shutdownHook; // guarded by lock
    /** What a stop at JVM exit may take beyond what its processes' settings allow. */
    private static final Duration EXIT_STOP_MARGIN = Duration.ofSeconds(5);

    /** What a supervisor is built from (the builder's settings, checked there). */
    public record Settings(String name, List<ProcessSpec> specs, List<SupervisorListener> listeners, Clock clock,
            Ticker ticker, Scheduler scheduler, Duration startTimeout, boolean shutdownHook, boolean orphanProtection,
            boolean parentDeathSignal, boolean stopOnStartFailure, java.nio.file.Path logDirectory,
            Duration sampleInterval, boolean nativeLaunch) {
    }

    /**
     * Starts the engine's threads and sets up every group (nothing is started). Only
     * {@link io.tspm.Supervisor} may call it: on the class path, where the module system cannot
     * hide this package, the engine is still not an API to build on.
     */
    public SupervisorCore(Settings b) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller.getNestHost() != io.tspm.Supervisor.class) {
            throw new UnsupportedOperationException("io.tspm.internal is not an API; build a supervisor with"
                    + " Supervisor.builder() (called from " + caller.getName() + ")");
        }
        Map<String, List<String>> deps = new LinkedHashMap<>();
        b.specs().forEach(s -> deps.put(s.name(), s.dependsOn()));
        DependencyGraph.check(deps); // before any thread starts
        checkConditions(b.specs());
        PortRanges.check(b.specs());
        this.name = b.name();
        this.startTimeout = b.startTimeout();
        this.useShutdownHook = b.shutdownHook();
        this.logDirectory = b.logDirectory();
        this.stopOnStartFailure = b.stopOnStartFailure();
        this.engine = new Engine(b.name(), b.clock(), b.ticker(), b.scheduler(), b.orphanProtection(), b.parentDeathSignal(),
                b.logDirectory(), b.sampleInterval(), b.startTimeout(), b.nativeLaunch());
        try {
            b.listeners().forEach(engine::addListener);
            for (ProcessSpec spec : b.specs()) {
                checkWatch(spec, b.logDirectory());
                ManagedGroup group = new ManagedGroup(engine, spec);
                groups.put(spec.name(), group);
                group.openProxy(spec);
            }
        } catch (RuntimeException | Error e) {
            // Nothing was started yet, but the engine's threads run, groups hold timers and watches, proxies ports.
            groups.values().forEach(ManagedGroup::retire);
            groups.values().forEach(ManagedGroup::closeProxy);
            engine.beginClose();
            engine.close();
            throw e;
        }
        engine.coordinator(new GroupStrategies(this::strategyView));
        engine.scaleCheck(this::checkScaledPorts);
        if (useShutdownHook) {
            synchronized (lock) {
                installShutdownHook();
            }
        }
    }

    /** The supervisor's name. */
    public String name() {
        return name;
    }

    // ---- lifecycle --------------------------------------------------------------------------

    /**
     * Starts every autostart process, each after the processes it depends on are running, and
     * waits until all are running and ready, up to the start timeout. Throws
     * {@link ProcessStartException} for the first that cannot start or is not ready in time
     * (naming its state, its probe's last result and its last lines of output). A failed start
     * stops, before it throws, the processes it started, so nothing is left running (unless
     * the builder's stopOnStartFailure says otherwise).
     */
    public void start() {
        Set<String> names;
        synchronized (lock) {
            checkNotClosed();
            lifecycle = Lifecycle.STARTED;
            startedAt = engine.now();
            names = autostartNames();
        }
        engine.prepareReaper(); // even with nothing to start yet: a started supervisor is about to get processes
        startAndWait(names, "start of supervisor '" + name + "'");
    }

    /**
     * {@link #start()} without waiting: the future fails as {@code start()} throws, but nothing is
     * stopped for it (the restart policies go on working), and it has no time limit.
     */
    public CompletableFuture<Void> startAsync() {
        Set<String> names;
        synchronized (lock) {
            checkNotClosed();
            lifecycle = Lifecycle.STARTED;
            startedAt = engine.now();
            names = autostartNames();
        }
        engine.prepareReaper(); // even with nothing to start yet: a started supervisor is about to get processes
        return startInOrder(names);
    }

    /** Stops every process, dependents before their dependencies, and waits until all are stopped. */
    public void stop() {
        synchronized (lock) {
            if (lifecycle == Lifecycle.STARTED) {
                lifecycle = Lifecycle.STOPPED;
            }
        }
        Waits.join(stopInOrder(groupNames(), "the stop of supervisor '" + name + "'"));
    }

    /**
     * Stops everything, then releases the supervisor's threads. From the moment it is called no
     * instance starts any more (a concurrent start fails), so nothing started during the close can
     * outlive it. The supervisor cannot be started again.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (lifecycle == Lifecycle.CLOSED) {
                return;
            }
            lifecycle = Lifecycle.CLOSED;
        }
        engine.beginClose();
        try {
            stopAll();
        } finally {
            List<ManagedGroup> all;
            synchronized (lock) {
                all = new ArrayList<>(groups.values());
            }
            all.forEach(ManagedGroup::closeProxy);
            all.forEach(ManagedGroup::releasePorts);
            synchronized (lock) {
                removeShutdownHook();
            }
            engine.close();
        }
    }

    /** Stops every process; repeats while a start that was already under way left something running. */
    private void stopAll() {
        for (int pass = 0; pass < 3; pass++) {
            Waits.join(stopInOrder(groupNames(), "the close of supervisor '" + name + "'"));
            boolean quiet = list().stream().allMatch(i -> i.pid().isEmpty() && i.state() != InstanceState.STARTING
                    && i.state() != InstanceState.STOPPING && i.state() != InstanceState.BACKOFF);
            if (quiet) {
                return;
            }
        }
        LOG.warn("supervisor '{}': processes still running after close: {}", name, list());
    }

    // ---- processes --------------------------------------------------------------------------

    /**
     * Adds a process. When the supervisor is started and the spec is autostart, the process is
     * started too (its dependencies first) and this waits until it runs, as {@link #start()}. All
     * or nothing: when this throws (a bad spec, a watch that cannot be set up, a failed start),
     * the process is not registered, and nothing of it runs.
     */
    public ProcessGroup add(ProcessSpec spec) {
        Objects.requireNonNull(spec, "spec");
        synchronized (lock) {
            checkAddable(spec);
        }
        // Set up outside the lock: a watch walks its directory tree.
        checkWatch(spec, logDirectory);
        ManagedGroup group = new ManagedGroup(engine, spec);
        try {
            group.openProxy(spec); // binds a port and starts threads: not under the lock
        } catch (RuntimeException e) {
            group.retire();
            throw e;
        }
        boolean startNow;
        synchronized (lock) {
            try {
                checkAddable(spec); // again: another add may have come in between
            } catch (RuntimeException e) {
                group.retire();
                group.closeProxy();
                throw e;
            }
            groups.put(spec.name(), group);
            engine.publish(new ProcessAdded(engine.now(), spec.name(), spec.instances(), spec.namespace(), spec.labels()));
            startNow = lifecycle == Lifecycle.STARTED && spec.autostart();
        }
        if (startNow) {
            try {
                startAndWait(Set.of(spec.name()), "start of process '" + spec.name() + "'");
            } catch (RuntimeException e) {
                unregister(spec.name(), group);
                throw e;
            }
        }
        return group;
    }

    /**
     * What {@link #apply} would do to bring this supervisor to {@code specs}, without doing it;
     * throws when the list is not one a supervisor can run (a name twice, an unknown dependency,
     * a cycle, a condition no process can meet).
     */
    public ApplyPlan plan(List<ProcessSpec> specs) {
        Objects.requireNonNull(specs, "specs");
        Map<String, ProcessSpec> wanted = new LinkedHashMap<>();
        for (ProcessSpec spec : specs) {
            Objects.requireNonNull(spec, "spec");
            if (wanted.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("a process named '" + spec.name() + "' is in the list twice");
            }
        }
        Map<String, List<String>> deps = new LinkedHashMap<>();
        wanted.forEach((n, sp) -> deps.put(n, sp.dependsOn()));
        DependencyGraph.check(deps);
        checkConditions(wanted.values());
        PortRanges.check(wanted.values());
        Map<String, ManagedGroup> now;
        synchronized (lock) {
            now = new LinkedHashMap<>(groups);
        }
        List<ApplyPlan.Change> changes = new ArrayList<>();
        for (String gone : now.keySet()) {
            if (!wanted.containsKey(gone)) {
                changes.add(new ApplyPlan.Change(gone, ApplyPlan.Action.REMOVE, List.of(), ""));
            }
        }
        for (ProcessSpec spec : wanted.values()) {
            ManagedGroup g = now.get(spec.name());
            changes.add(g == null
                    ? new ApplyPlan.Change(spec.name(), ApplyPlan.Action.ADD, List.of(),
                            spec.instances() + (spec.instances() == 1 ? " instance" : " instances"))
                    : SpecDiff.of(g.spec(), spec));
        }
        return new ApplyPlan(changes);
    }

    /**
     * Brings the supervisor to {@code specs}: removes the processes that are gone (dependents
     * first), adds the new ones (dependencies first; started when the supervisor runs and they
     * are autostart), takes changes no process needs as they are, scales where only the count
     * changed, and rolling-reloads a group whose processes need the change; equal ones are left
     * alone. Returns what it did. Stops at the first step that fails, with what was done before it.
     */
    public ApplyPlan apply(List<ProcessSpec> specs) {
        ApplyPlan plan = plan(specs);
        Map<String, ProcessSpec> wanted = new LinkedHashMap<>();
        specs.forEach(sp -> wanted.put(sp.name(), sp));
        List<String> done = new ArrayList<>();
        ApplyPlan.Change step = null;
        try {
            // Removals first, dependents before their dependencies (the new list needs none of them).
            Set<String> removed = new LinkedHashSet<>();
            plan.of(ApplyPlan.Action.REMOVE).forEach(c -> removed.add(c.process()));
            List<String> order = DependencyGraph.topological(removed, dependencies());
            for (int k = order.size() - 1; k >= 0; k--) {
                String n = order.get(k);
                step = plan.changes().stream().filter(c -> c.process().equals(n)).findFirst().orElseThrow();
                ManagedGroup g;
                synchronized (lock) {
                    g = groups.get(n);
                }
                if (g != null) {
                    unregister(n, g);
                }
                done.add(step.toString());
            }
            for (ApplyPlan.Change c : plan.changes()) {
                step = c;
                ProcessSpec spec = wanted.get(c.process());
                switch (c.action()) {
                    case UPDATE:
                        ((ManagedGroup) group(c.process())).update(spec);
                        break;
                    case SCALE:
                        ManagedGroup scaled = (ManagedGroup) group(c.process());
                        scaled.update(spec.toBuilder().instances(scaled.instances().size()).build());
                        scaled.scale(spec.instances());
                        break;
                    case RELOAD:
                        Waits.join(((ManagedGroup) group(c.process())).reloadWith(spec));
                        break;
                    default:
                        continue; // ADD below, in dependency order; REMOVE above; UNCHANGED
                }
                done.add(c.toString());
            }
            Set<String> added = new LinkedHashSet<>();
            plan.of(ApplyPlan.Action.ADD).forEach(c -> added.add(c.process()));
            Map<String, List<String>> newDeps = new LinkedHashMap<>();
            wanted.forEach((n, sp) -> newDeps.put(n, sp.dependsOn()));
            for (String n : DependencyGraph.topological(added, newDeps)) {
                step = plan.changes().stream().filter(c -> c.process().equals(n)).findFirst().orElseThrow();
                add(wanted.get(n));
                done.add(step.toString());
            }
        } catch (RuntimeException e) {
            throw new TspmException("apply stopped at '" + step + "': " + e.getMessage()
                    + (done.isEmpty() ? "; nothing was changed before it" : "; done before it: " + done), e);
        }
        return plan;
    }

    /** Throws unless a process of this name may be added now (guarded by lock). */
    private void checkAddable(ProcessSpec spec) {
        checkNotClosed();
        if (groups.containsKey(spec.name())) {
            throw new IllegalArgumentException("a process named '" + spec.name() + "' already exists");
        }
        Map<String, List<String>> deps = dependencies();
        deps.put(spec.name(), spec.dependsOn());
        DependencyGraph.check(deps);
        List<ProcessSpec> all = new ArrayList<>();
        groups.values().forEach(g -> all.add(g.spec()));
        all.add(spec);
        checkConditions(all);
        PortRanges.check(all);
    }

    /**
     * A scale-up's fixed ports against every other process's, as they are now: growing into
     * another's range would put two instances on one port.
     */
    private void checkScaledPorts(ProcessSpec scaled) {
        List<ProcessSpec> all = new ArrayList<>();
        synchronized (lock) {
            groups.values().forEach(g -> all.add(g.spec().name().equals(scaled.name()) ? scaled : g.spec()));
        }
        PortRanges.check(all);
    }

    /** Stops a group and forgets it (a removal, or an add that failed). */
    private void unregister(String processName, ManagedGroup group) {
        group.retire();
        group.stop();
        group.closeProxy();
        synchronized (lock) {
            if (!groups.remove(processName, group)) {
                return;
            }
        }
        engine.forgetLogs(processName);
        engine.publish(new ProcessRemoved(engine.now(), processName));
    }

    /**
     * Stops the process and removes it. Refused while another process depends on it. From the
     * moment it is called its instances refuse to start.
     */
    public void remove(String processName) {
        ManagedGroup group;
        synchronized (lock) {
            group = groupOrThrow(processName);
            List<String> dependents = groups.values().stream()
                    .filter(g -> g.spec().dependsOn().contains(processName)).map(ManagedGroup::name).toList();
            if (!dependents.isEmpty()) {
                throw new IllegalStateException("process '" + processName + "' cannot be removed: " + dependents
                        + " depend on it");
            }
        }
        unregister(processName, group);
    }

    /** The process named {@code processName}; {@link NoSuchProcessException} if there is none. */
    public ProcessGroup group(String processName) {
        synchronized (lock) {
            return groupOrThrow(processName);
        }
    }

    /** Every process, in the order they were added. */
    public List<ProcessGroup> groups() {
        synchronized (lock) {
            return List.copyOf(groups.values());
        }
    }

    /** A snapshot of every instance of every process. */
    public List<InstanceSnapshot> list() {
        return snapshot().instances();
    }

    /** A snapshot of every instance of one process: a shortcut to that group in {@link #snapshot()}. */
    public List<InstanceSnapshot> describe(String processName) {
        return group(processName).snapshot();
    }

    /**
     * Everything the supervisor runs, as one immutable value: per process its namespace, labels,
     * spec as it runs now and instances (state, pid, port, ready, restarts, uptime, last exit, each
     * probe's last word, resources, output counters). Each instance is read at once under its own
     * lock, so an instance is consistent in itself; two instances may be a moment apart.
     */
    public SupervisorSnapshot snapshot() {
        List<ManagedGroup> now;
        java.time.Instant started;
        synchronized (lock) {
            now = List.copyOf(groups.values());
            started = startedAt;
        }
        List<GroupSnapshot> out = new ArrayList<>(now.size());
        now.forEach(g -> out.add(g.groupSnapshot()));
        return new SupervisorSnapshot(name, java.util.Optional.ofNullable(started), engine.now(), out);
    }

    /**
     * Waits until every instance of the process is RUNNING and ready. Throws
     * {@link ProcessStartException} at once when one is stopped, fails or exits for good, and at
     * the timeout, naming the instances not ready, their probes' last results and last lines.
     */
    public void awaitReady(String processName, Duration timeout) {
        group(processName).awaitReady(timeout);
    }

    /** Restarts every process, dependencies first. */
    public void restartAll() {
        restartWhere(g -> true);
    }

    /** Starts the processes of a namespace (and what they depend on) and waits until they run. */
    public void startNamespace(String namespace) {
        Set<String> names = namesWhere(inNamespace(namespace));
        startAndWait(names, "start of namespace '" + namespace + "'");
    }

    /** Stops the processes of a namespace, dependents first. */
    public void stopNamespace(String namespace) {
        Set<String> names = namesWhere(inNamespace(namespace));
        Waits.join(stopInOrder(names, "the stop of namespace '" + namespace + "'"));
    }

    /** Restarts the processes of a namespace: stopped dependents first, started dependencies first. */
    public void restartNamespace(String namespace) {
        restartWhere(inNamespace(namespace));
    }

    public List<ProcessGroup> groups(io.tspm.LabelSelector selector) {
        Objects.requireNonNull(selector, "selector");
        List<ProcessGroup> out = new ArrayList<>();
        for (ProcessGroup g : groups()) {
            if (selector.matches(g.spec().labels())) {
                out.add(g);
            }
        }
        return out;
    }

    public void start(io.tspm.LabelSelector selector) {
        startAndWait(namesWhere(labelled(selector)), "start of the processes with labels '" + selector + "'");
    }

    public void stop(io.tspm.LabelSelector selector) {
        Waits.join(stopInOrder(namesWhere(labelled(selector)), "the stop of the processes with labels '" + selector
                + "'"));
    }

    public void restart(io.tspm.LabelSelector selector) {
        restartWhere(labelled(selector));
    }

    public Map<String, List<String>> namespaces() {
        return snapshot().namespaces();
    }

    public void reset(String processName, boolean clearExitHistory) {
        group(processName).reset(clearExitHistory);
    }

    private static Predicate<ProcessGroup> labelled(io.tspm.LabelSelector selector) {
        Objects.requireNonNull(selector, "selector");
        return g -> selector.matches(g.spec().labels());
    }

    /** The directory where processes write their log files by default, if one was set. */
    public java.util.Optional<java.nio.file.Path> logDirectory() {
        return java.util.Optional.ofNullable(logDirectory);
    }

    /** Empties every open log file, as PM2's {@code flush}; rotated files stay. Lines keep coming. */
    public void flushLogs() {
        engine.truncateLogs();
    }

    /**
     * Closes and reopens every log file by name, as PM2's {@code reloadLogs}: after an outside tool
     * (logrotate) moved the files away, new lines go to new files under the old names.
     */
    public void reopenLogs() {
        engine.reopenLogs();
    }

    public void addListener(SupervisorListener listener) {
        engine.addListener(listener);
    }

    public void removeListener(SupervisorListener listener) {
        engine.removeListener(listener);
    }

    /**
     * How many events the listeners did not get because they were too far behind (64 Ki events
     * waiting): a listener should return quickly and hand slow work to a thread of its own.
     */
    public long droppedEvents() {
        return engine.droppedEvents();
    }

    /**
     * The pid of the companion process that kills the children if this JVM dies, when one runs
     * (Linux, orphan protection on, after the first spawn).
     */
    public OptionalLong reaperPid() {
        return engine.reaperPid();
    }

    @Override
    public String toString() {
        return "Supervisor{" + name + ", " + lifecycleName() + ", processes=" + groupNames() + '}';
    }

    // ---- internals --------------------------------------------------------------------------

    /** What the group strategies see: the groups and their dependencies; null once closed. */
    private GroupStrategies.View strategyView() {
        synchronized (lock) {
            return lifecycle == Lifecycle.CLOSED ? null
                    : new GroupStrategies.View(new LinkedHashMap<>(groups), dependencies());
        }
    }

    private void restartWhere(Predicate<ProcessGroup> filter) {
        Set<String> names = namesWhere(filter);
        Waits.join(stopInOrder(names, null));
        startAndWait(names, "restart");
    }

    /**
     * Starts {@code names} (dependencies first) and waits up to the start timeout; on failure
     * stops what this start started, before throwing, when {@link #stopOnStartFailure} says so.
     */
    private void startAndWait(Set<String> names, String what) {
        Set<String> started = startedBy(names);
        try {
            Waits.await(startInOrder(names), startTimeout, () -> NotReady.after(what, startTimeout, instancesOf(
                    DependencyGraph.withDependencies(names, dependencies()))));
        } catch (RuntimeException e) {
            try {
                cleanUpFailedStart(started).get(); // bounded: stops end at their kill
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException stopFailed) {
                e.addSuppressed(stopFailed.getCause());
            }
            throw e;
        }
    }

    /** Of {@code names} and what they depend on, the processes a start would start: none of their instances is active. */
    private Set<String> startedBy(Set<String> names) {
        Map<String, ManagedGroup> snapshot;
        Set<String> all;
        synchronized (lock) {
            snapshot = new LinkedHashMap<>(groups);
            all = DependencyGraph.withDependencies(names, dependencies());
        }
        Set<String> idle = new LinkedHashSet<>();
        for (String n : all) {
            ManagedGroup g = snapshot.get(n);
            if (g != null && g.snapshot().stream().noneMatch(i -> i.state().isActive())) {
                idle.add(n);
            }
        }
        return idle;
    }

    private CompletableFuture<Void> cleanUpFailedStart(Set<String> started) {
        if (!stopOnStartFailure || started.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("supervisor '{}': the start failed; stopping what it started: {}", name, started);
        Map<String, List<String>> deps = dependencies();
        Map<String, ManagedGroup> snapshot;
        synchronized (lock) {
            snapshot = new LinkedHashMap<>(groups);
        }
        return DependencyGraph.inOrder(started, deps, true,
                n -> snapshot.get(n).stopActiveAsync("the stop after a failed start"));
    }

    private List<ProcessInstance> instancesOf(Set<String> names) {
        List<ProcessInstance> all = new ArrayList<>();
        for (ProcessGroup g : groups()) {
            if (names.contains(g.name())) {
                all.addAll(g.instances());
            }
        }
        return all;
    }

    private Set<String> autostartNames() {
        return groups.values().stream().filter(g -> g.spec().autostart()).map(ManagedGroup::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private CompletableFuture<Void> startInOrder(Set<String> names) {
        Map<String, List<String>> deps;
        Map<String, ManagedGroup> snapshot;
        synchronized (lock) {
            deps = dependencies();
            snapshot = new LinkedHashMap<>(groups);
        }
        Set<String> all = DependencyGraph.withDependencies(names, deps);
        // Each process starts once each dependency meets its condition: spawned for STARTED, its
        // start done for READY (and COMPLETED: a one-shot's start is done when it exited 0).
        Map<String, CompletableFuture<Void>> done = new LinkedHashMap<>();
        Map<String, CompletableFuture<Void>> spawned = new LinkedHashMap<>();
        for (String n : DependencyGraph.topological(all, deps)) {
            ManagedGroup g = snapshot.get(n);
            List<CompletableFuture<?>> gate = new ArrayList<>();
            for (io.tspm.Dependency d : g.spec().dependencies()) {
                if (all.contains(d.name())) {
                    gate.add(d.condition() == io.tspm.DependencyCondition.STARTED ? spawned.get(d.name())
                            : done.get(d.name()));
                }
            }
            CompletableFuture<CompletableFuture<Void>[]> begun = Completion.allOrFirstFailure(gate).thenApply(x -> {
                @SuppressWarnings("unchecked")
                CompletableFuture<Void>[] both = new CompletableFuture[] {g.startAsync(), null};
                both[1] = g.startedAsync(); // after the start began
                return both;
            });
            done.put(n, begun.thenCompose(both -> both[0]));
            spawned.put(n, begun.thenCompose(both -> both[1]));
        }
        return Completion.allOrFirstFailure(new ArrayList<>(done.values()));
    }

    /**
     * Checks what the dependencies wait for against the processes they name: COMPLETED needs a
     * one-shot (a process that keeps running never completes). READY on a one-shot means it completed.
     */
    static void checkConditions(java.util.Collection<ProcessSpec> specs) {
        Map<String, ProcessSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (ProcessSpec s : specs) {
            for (io.tspm.Dependency d : s.dependencies()) {
                ProcessSpec target = byName.get(d.name());
                if (target != null && d.condition() == io.tspm.DependencyCondition.COMPLETED && !target.oneShot()) {
                    throw new IllegalStateException("process '" + s.name() + "' waits for '" + d.name()
                            + "' to complete, but '" + d.name() + "' is not a one-shot task (oneShot(true)) and never"
                            + " completes: wait for it to be READY or STARTED instead");
                }
            }
        }
    }

    /** @param by the request, in words, for the starts it cancels; null for a restart's stop */
    private CompletableFuture<Void> stopInOrder(Set<String> names, String by) {
        Map<String, List<String>> deps;
        Map<String, ManagedGroup> snapshot;
        synchronized (lock) {
            deps = dependencies();
            snapshot = new LinkedHashMap<>(groups);
        }
        return DependencyGraph.inOrder(names, deps, true, n -> {
            ManagedGroup g = snapshot.get(n);
            return by == null ? g.stopAsync() : g.stopAsync(by);
        });
    }

    /**
     * Refuses a watch that covers the process's own log directory (every line it writes would
     * restart it), unless an ignore pattern excludes that directory.
     */
    private static void checkWatch(ProcessSpec spec, java.nio.file.Path supervisorLogs) {
        java.nio.file.Path logs = spec.logs().files() ? spec.logs().directory().orElse(supervisorLogs) : null;
        if (logs == null || spec.watchPaths().isEmpty()) {
            return;
        }
        java.nio.file.Path base = spec.workingDirectory().orElse(java.nio.file.Path.of("")).toAbsolutePath();
        java.nio.file.Path logDir = real(logs.toAbsolutePath().normalize()); // as the log files resolve it
        for (java.nio.file.Path w : spec.watchPaths()) {
            java.nio.file.Path root = real(base.resolve(w).normalize());
            if (logDir.startsWith(root)) {
                java.nio.file.Path rel = root.relativize(logDir);
                boolean ignored = spec.watchIgnore().stream().anyMatch(g -> {
                    java.nio.file.PathMatcher m = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g);
                    return !rel.toString().isEmpty() && (m.matches(rel) || m.matches(rel.resolve("x.log")));
                });
                if (!ignored) {
                    throw new IllegalStateException("process '" + spec.name() + "' watches " + root
                            + ", which holds its own log directory " + logDir + ": every line it logs would restart it."
                            + " Watch a narrower path, or add a watchIgnore pattern for the logs");
                }
            }
        }
    }

    /** The real path where it exists (symlinks followed), else the path as given. */
    private static java.nio.file.Path real(java.nio.file.Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p;
        }
    }

    private Map<String, List<String>> dependencies() {
        synchronized (lock) {
            Map<String, List<String>> deps = new LinkedHashMap<>();
            groups.forEach((n, g) -> deps.put(n, g.spec().dependsOn()));
            return deps;
        }
    }

    private Set<String> namesWhere(Predicate<ProcessGroup> filter) {
        synchronized (lock) {
            return groups.values().stream().filter(filter).map(ManagedGroup::name)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    private static Predicate<ProcessGroup> inNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return g -> g.spec().namespace().equals(namespace);
    }

    private ManagedGroup groupOrThrow(String processName) {
        Objects.requireNonNull(processName, "processName");
        ManagedGroup g = groups.get(processName);
        if (g == null) {
            throw new NoSuchProcessException(processName, groups.keySet());
        }
        return g;
    }

    private void checkNotClosed() {
        if (lifecycle == Lifecycle.CLOSED) {
            throw new IllegalStateException("supervisor '" + name + "' is closed");
        }
    }

    private String lifecycleName() {
        synchronized (lock) {
            return lifecycle.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private Set<String> groupNames() {
        synchronized (lock) {
            return new LinkedHashSet<>(groups.keySet());
        }
    }

    private void installShutdownHook() {
        if (!useShutdownHook || shutdownHook != null) {
            return;
        }
        shutdownHook = new Thread(this::stopAtExit, "tspm-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Stops every process as {@link #stop()} does, but waits no longer in real time than the stops
     * can take (for each group in turn: its drain, its stop timeout, the kill's grace and its
     * postStop hook), so a stop that cannot end never keeps the JVM from exiting: one whose
     * timeouts run on a manual scheduler nobody moves any more. What is left then dies with the JVM
     * (the reaper companion kills it).
     */
    private void stopAtExit() {
        List<ManagedGroup> all;
        synchronized (lock) {
            if (lifecycle == Lifecycle.STARTED) {
                lifecycle = Lifecycle.STOPPED;
            }
            all = new ArrayList<>(groups.values());
        }
        Duration bound = EXIT_STOP_MARGIN;
        for (ManagedGroup g : all) {
            ProcessSpec spec = g.spec();
            bound = bound.plus(spec.reloadDrain()).plus(spec.stopTimeout()).plus(ProcessTree.KILL_GRACE)
                    .plus(spec.hooks().postStop().map(h -> h.timeoutOr(io.tspm.Hooks.DEFAULT_TIMEOUT)).orElse(Duration.ZERO));
        }
        Duration waited = bound;
        try {
            Waits.await(stopInOrder(groupNames(), "the exit of the JVM"), bound, () -> new TspmException(
                    "the stop did not end within " + Human.duration(waited) + " (for each process its drain, stop timeout,"
                            + " kill grace and postStop hook, and " + Human.duration(EXIT_STOP_MARGIN) + "); still stopping: "
                            + list().stream().filter(i -> i.state() != InstanceState.STOPPED)
                                    .map(i -> i.process() + "#" + i.instanceId() + " (" + i.state() + ")").toList()
                            + "; the JVM exits and what is left dies with it"));
        } catch (RuntimeException e) {
            LOG.warn("stopping supervisor '{}' at JVM exit failed", name, e);
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs or has run.
            }
        }
        shutdownHook = null;
    }

}
