package io.tspm.internal;

import io.tspm.Hook;
import io.tspm.HookPhase;
import io.tspm.Human;
import io.tspm.ExitRecord;
import io.tspm.ExitStatus;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.LineListener;
import io.tspm.MemoryLimitAction;
import io.tspm.OutputLine;
import io.tspm.OutputStats;
import io.tspm.OutputStreamKind;
import io.tspm.ProbeSettings;
import io.tspm.ProcessSpec;
import io.tspm.ProcessStartException;
import io.tspm.ResourceUsage;
import io.tspm.RestartDecision;
import io.tspm.RestartStrategy;
import io.tspm.Signal;
import io.tspm.StopOutcome;
import io.tspm.TspmException;
import io.tspm.event.HealthChanged;
import io.tspm.event.HookFailed;
import io.tspm.event.MemoryLimitExceeded;
import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessFailed;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessSpawned;
import io.tspm.event.ProcessStarting;
import io.tspm.event.ProcessStopped;
import io.tspm.event.ProcessStopping;
import io.tspm.event.RestartScheduled;
import io.tspm.event.TransitionEvent;
import io.tspm.spi.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance slot and its state machine ({@link InstanceState} holds the table).
 *
 * <p>Every transition happens under this object's lock and publishes its event there, so events keep
 * the order of transitions. Futures are completed, and slow work started, only after the lock is
 * released (the {@link #after} list), so no callback ever runs under it. The last request wins: a
 * stop cancels a start queued behind a running stop, and a start queues behind a running stop.
 */
final class ManagedInstance {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedInstance.class);
    /** Lines of output a failed start carries. */
    static final int START_FAILURE_LINES = 200;
    /** Lines of output kept with each exit record. */
    static final int EXIT_OUTPUT_LINES = 20;
    /** How long an exit waits for the rest of the process's output before recording it. */
    static final Duration OUTPUT_DRAIN = Duration.ofMillis(200);

    private final Engine engine;
    /** Fixed for a basePort; a freePorts instance moves to another free port before a spawn when its own was taken. */
    private volatile OptionalInt port;
    private final ManagedGroup group;
    private final ProcessSpec spec;
    private final int id;
    private final InstanceOutput output;
    private final ExitHistory history;

    // Guarded by this (state, process and ready are written under it, and volatile so that the
    // endpoints view, which a pick may rebuild while its caller holds some lock, reads them without it).
    private final RestartPlanner planner;
    private volatile InstanceState state = InstanceState.STOPPED;
    private long generation;
    private volatile Process process;
    private long startTicks = -1;
    private long spawnedAtNanos;
    private Instant startedAt;
    private int spawns;
    private ExitStatus lastExit;
    private String failureReason;
    private Future<?> restartTimer;
    private Future<?> readyTimer;
    private CompletableFuture<Void> outputDrained = CompletableFuture.completedFuture(null);
    private Signal signalSent;
    private CompletableFuture<Void> starting;
    /**
     * The start future a failure or a cancel was queued for: it fails soon (a failed start waits
     * for the process's output first), so a new attempt must not take it over.
     */
    private CompletableFuture<Void> doomedStart;
    private CompletableFuture<StopOutcome> stopping;
    private boolean stopWhenSpawned;
    /** Runs the lifecycle hooks of this instance. */
    private final HookRunner hooks;
    /** Cuts off the preStart hook under way, null when none runs (guarded by this). */
    private Runnable cutPreStart;
    /** A postStart hook under way, cut off when the instance stops (guarded by this). */
    private HookRunner.Run postStartRun;
    /** A start asked for while a stop runs; it begins when the stop ends, unless a later stop cancels it. */
    private CompletableFuture<Void> queuedStart;
    private boolean queuedStartByUser;
    private CompletableFuture<Void> restartWatch;
    /** Waiters for readiness of an instance that runs unready or is between starts; see {@link #awaitReadyAsync}. */
    private final ReadyWaiters readyWaiters;
    /** Waiters for a process to be spawned (a STARTED dependency condition). */
    private final ReadyWaiters spawnWaiters;
    /** Scaled away or replaced: it refuses to start again. */
    private volatile boolean retired;

    /** Counts the user's stops; a strategy's restart carries the count it saw, and is void if it moved. */
    private long userStops;
    private HealthMonitor health;
    /** The probes' last word when no monitor runs (the process stopped or exited). */
    private List<io.tspm.ProbeStatus> lastProbes = List.of();
    /** The CPU of the current process's last samples, for the rolling average. */
    private final CpuAverage cpu = new CpuAverage(ResourceUsage.AVERAGED_SAMPLES);
    /** RUNNING and its readiness probe (if any) passing: it may take traffic. */
    private volatile boolean ready;
    /** When it last became ready (for the endpoints view). */
    private volatile java.time.Instant readySince = java.time.Instant.EPOCH;
    /** In-flight work, what it served, ejection and drain: what load balancing knows of it. */
    final InstanceTraffic traffic;
    /** Why the supervisor is killing the current process (a probe, the memory limit), told when it exits. */
    private String killReason;
    /** Why a reload is replacing this instance (the memory limit); its last exit record tells it. */
    private String reloadReason;
    private volatile ResourceUsage usage;
    /** Null without a maxMemory. */
    private final MemoryLimit memoryLimit;
    private final List<Runnable> after = new ArrayList<>();

    /** @param port the port its processes get (chosen by the group), empty without a basePort */
    ManagedInstance(Engine engine, ManagedGroup group, ProcessSpec spec, int id, OptionalInt port) {
        this(engine, group, spec, id, port, null);
    }

    /**
     * @param predecessor the instance this one replaces in a reload: the slot keeps its exit history
     *                    (shared) and crash-loop window (copied); null for a new slot
     */
    ManagedInstance(Engine engine, ManagedGroup group, ProcessSpec spec, int id, OptionalInt port,
            ManagedInstance predecessor) {
        this.port = port;
        this.engine = engine;
        this.group = group;
        this.spec = spec;
        this.id = id;
        this.output = new InstanceOutput(engine, spec, id);
        this.hooks = new HookRunner(engine, spec, id, this::port, output);
        this.traffic = new InstanceTraffic(engine, group, spec.name(), id, () -> group.endDrainIfIdle(this));
        this.readyWaiters = new ReadyWaiters(this, spec.name(), id);
        this.spawnWaiters = new ReadyWaiters(this, spec.name(), id);
        this.memoryLimit = spec.maxMemory().isPresent()
                ? new MemoryLimit(spec.maxMemory().getAsLong(), spec.memoryLimitSamples(), spec.memoryWarningRatio()) : null;
        if (predecessor == null) {
            this.planner = new RestartPlanner(spec.restartPolicy(), () -> ThreadLocalRandom.current().nextDouble());
            this.history = new ExitHistory(spec.exitHistorySize());
        } else {
            synchronized (predecessor) {
                this.planner = predecessor.planner.copy();
            }
            this.history = predecessor.history;
        }
    }

    /** Sets the ready flag; a change reaches the group's endpoints view after the lock (call with it held). */
    private void setReady(boolean now) {
        if (ready == now) {
            return;
        }
        if (now) {
            readySince = engine.now(); // first: the view reads ready without the lock, then readySince
        }
        ready = now;
        after.add(group::endpointsChanged);
    }

    /**
     * Whether it may take traffic now: RUNNING and ready, neither ejected nor draining. Read without
     * the lock: a read torn by a change in progress is put right by the rebuild that change asks for.
     */
    boolean takesTraffic() {
        return state == InstanceState.RUNNING && ready && traffic.open();
    }

    /** Whether a panic-mode pick may take it: its process is alive and it is not draining (no lock, as above). */
    boolean alive() {
        return (state == InstanceState.RUNNING || state == InstanceState.STARTING) && process != null
                && !traffic.draining();
    }

    public void eject(Duration duration, String reason) {
        traffic.eject(duration, reason);
    }

    public boolean isEjected() {
        return traffic.ejected();
    }

    java.time.Instant readySince() {
        return readySince;
    }

    /** The latest resource sample, if any (read without the lock: a volatile). */
    Optional<ResourceUsage> latestUsage() {
        return Optional.ofNullable(usage);
    }

    /** The restart count, crash-loop window and backoff back to zero; the history too if asked. */
    synchronized void reset(boolean clearExitHistory) {
        spawns = process != null ? 1 : 0;
        planner.reset();
        if (clearExitHistory) {
            history.clear();
        }
    }

    /** Refuses every later start: it was scaled away, replaced by a reload, or its replacement was given up. */
    void retire() {
        retired = true;
        if (spec.freePorts()) {
            port.ifPresent(FreePorts::release); // it stops; the bind check keeps its port from others until then
        }
    }

    boolean isRetired() {
        return retired;
    }

    /** The pid of its process while it is RUNNING, else empty. */
    synchronized OptionalLong runningPid() {
        return state == InstanceState.RUNNING && process != null ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** How many times the user stopped it: a reload gives up on a replacement when this moves. */
    synchronized long userStops() {
        return userStops;
    }

    public String processName() {
        return spec.name();
    }

    /** The spec its processes run with. */
    ProcessSpec spec() {
        return spec;
    }

    /** The labels of its group as the group runs now (an apply may change them without new processes). */
    Map<String, String> labels() {
        return group.spec().labels();
    }

    public int id() {
        return id;
    }

    public synchronized InstanceState state() {
        return state;
    }

    /**
     * The port its processes get: fixed for the instance's life with a basePort (a reload's
     * replacement has the other one); with freePorts, kept while free, else another before a spawn.
     */
    public OptionalInt port() {
        return port;
    }

    /** A memory-limit reload of this instance failed: it keeps running, and may be judged again. */
    synchronized void reloadFailed() {
        reloadReason = null;
        if (memoryLimit != null) {
            memoryLimit.reset();
        }
    }

    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    public synchronized InstanceSnapshot snapshot() {
        Duration uptime = process == null ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, engine.ticker.read() - spawnedAtNanos));
        return new InstanceSnapshot(spec.name(), spec.namespace(), id, state, state == InstanceState.RUNNING && ready,
                pid(), Math.max(0, spawns - 1),
                uptime, Optional.ofNullable(startedAt), Optional.ofNullable(lastExit),
                Optional.ofNullable(failureReason),
                history.stats(planner.restartsInWindow(engine.ticker.read()), planner.currentBackoff()),
                Optional.ofNullable(usage), port(), health != null ? health.statuses() : lastProbes, output.stats(),
                traffic.stats());
    }

    public List<ExitRecord> exitHistory() {
        return history.records();
    }

    public List<String> recentOutput(int n) {
        return output.lastTexts(n);
    }

    public List<OutputLine> recentLines(int n) {
        return output.last(n);
    }

    public void addLineListener(LineListener listener) {
        output.addListener(listener);
    }

    public void removeLineListener(LineListener listener) {
        output.removeListener(listener);
    }

    public OutputLine awaitLine(Pattern pattern, Duration timeout) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(timeout, "timeout");
        long pid;
        synchronized (this) {
            pid = process == null ? 0 : process.pid();
        }
        return output.awaitLine(pattern, pid, timeout);
    }

    public OutputStats outputStats() {
        return output.stats();
    }

    // ---- start ------------------------------------------------------------------------------

    public CompletableFuture<Void> awaitReadyAsync() {
        synchronized (this) {
            if (spec.oneShot()) {
                if (completed()) {
                    return CompletableFuture.completedFuture(null);
                }
                if (starting != null && !starting.isDone() && starting != doomedStart && state.isActive()) {
                    return starting.copy(); // a one-shot is "ready" when it has completed
                }
            }
            if (state == InstanceState.RUNNING && ready) {
                return CompletableFuture.completedFuture(null);
            }
            if (state == InstanceState.STARTING && starting != null && !stopWhenSpawned) {
                return starting.copy(); // the caller may cancel or time out its own copy only
            }
            String why = notReadyForGood();
            if (why != null) {
                return CompletableFuture.failedFuture(new ProcessStartException(spec.name(), id, "not ready: " + why,
                        output.lastTexts(START_FAILURE_LINES), null));
            }
            // Running but not ready (its readiness probe failing), or between starts: wait for readiness.
            return readyWaiters.add();
        }
    }

    /** Why it cannot become ready without a new request, or null when it still may. */
    private String notReadyForGood() {
        switch (state) {
            case FAILED:
                return failureReason;
            case EXITED:
                return "it exited (" + lastExit + ") and is not restarted";
            case STOPPED:
                return "it is stopped";
            case STOPPING:
                return queuedStart != null ? null : "it is being stopped";
            case STARTING:
                return stopWhenSpawned && queuedStart == null ? "it is being stopped" : null;
            default:
                return null;
        }
    }

    /** Completes (ready) or fails (cannot become ready for now) every readiness waiter, after the lock. */
    /**
     * Completes when it has been spawned (it has a process, runs, or completed as a one-shot);
     * fails when it cannot be without a new request.
     */
    CompletableFuture<Void> spawnedAsync() {
        synchronized (this) {
            if (process != null || state == InstanceState.RUNNING || completed()) {
                return CompletableFuture.completedFuture(null);
            }
            if (state == InstanceState.STARTING || state == InstanceState.BACKOFF
                    || (state == InstanceState.STOPPING && queuedStart != null)) {
                return spawnWaiters.add();
            }
            String why = notReadyForGood();
            return CompletableFuture.failedFuture(new ProcessStartException(spec.name(), id, "not started: "
                    + (why != null ? why : state), output.lastTexts(START_FAILURE_LINES), null));
        }
    }

    /** Fails every waiter, for readiness and for a spawn: it cannot become either without a new request. */
    private void settleWaiters(String failure) {
        settleReadyWaiters(failure);
        settleSpawnWaiters(failure);
    }

    private void settleSpawnWaiters(String failure) {
        Runnable settle = spawnWaiters.settle(failure, () -> output.lastTexts(START_FAILURE_LINES));
        if (settle != null) {
            after.add(settle);
        }
    }

    private void settleReadyWaiters(String failure) {
        Runnable settle = readyWaiters.settle(failure, () -> output.lastTexts(START_FAILURE_LINES));
        if (settle != null) {
            after.add(settle);
        }
    }

    public CompletableFuture<Void> startAsync() {
        CompletableFuture<Void> result;
        synchronized (this) {
            result = startLocked(true);
        }
        runAfter();
        return result;
    }

    /** @param byUser a start by the user forgets the crash-loop window (a FAILED instance starts afresh) */
    private CompletableFuture<Void> startLocked(boolean byUser) {
        if (engine.isClosing() || group.isRetired() || retired) {
            return CompletableFuture.failedFuture(new IllegalStateException("process '" + spec.name() + "' instance "
                    + id + " cannot start: " + (engine.isClosing() ? "the supervisor is closed"
                            : group.isRetired() ? "it was removed" : "it was scaled away or replaced by a reload")));
        }
        switch (state) {
            case RUNNING:
                return CompletableFuture.completedFuture(null);
            case STARTING:
                return stopWhenSpawned ? queueStart(byUser) : starting;
            case STOPPING:
                return queueStart(byUser);
            case BACKOFF:
                cancelRestartTimer();
                planner.reset();
                return beginStart(true);
            case STOPPED:
            case EXITED:
            case FAILED:
                if (byUser) {
                    planner.reset();
                }
                return beginStart(true);
            default:
                throw new AssertionError(state);
        }
    }

    private CompletableFuture<Void> queueStart(boolean byUser) {
        if (queuedStart == null || queuedStart.isDone()) {
            queuedStart = new CompletableFuture<>();
        }
        queuedStartByUser |= byUser;
        return queuedStart;
    }

    /**
     * Enters STARTING and hands the spawn to a launcher thread.
     *
     * @param asked a start someone asked for, not a restart: a fixed port another program holds
     *              fails it at once, rather than the child failing to listen later (a restart
     *              leaves that to the child and the restart policy: a dying grandchild of the
     *              crashed process may still hold the port for a moment)
     */
    private CompletableFuture<Void> beginStart(boolean asked) {
        if (starting == null || starting.isDone() || starting == doomedStart) {
            starting = new CompletableFuture<>();
        }
        if (spec.freePorts()) {
            port = group.portForSpawn(spec, id, port);
        }
        long gen = ++generation;
        spawns++;
        failureReason = null;
        signalSent = null;
        move(new ProcessStarting(engine.now(), spec.name(), id, spawns));
        CompletableFuture<Void> result = starting;
        // A launcher thread only spawns (and registers with the reaper); the rest runs on the engine thread.
        Optional<Hook> preStart = spec.hooks().preStart();
        if (preStart.isEmpty()) {
            after.add(() -> engine.launcher.submit(() -> SpawnedProcess.spawn(engine, spec, id, port(), asked))
                    .whenCompleteAsync((sp, err) -> onSpawned(gen, sp, err), engine.callbacks));
        } else {
            after.add(() -> runPreStartThenSpawn(gen, preStart.get(), asked));
        }
        return result;
    }

    /** The preStart hook, then (when it succeeded) the spawn; a stop meanwhile cuts the hook off. */
    private void runPreStartThenSpawn(long gen, Hook hook, boolean asked) {
        HookRunner.Run run = hooks.run(HookPhase.PRE_START, hook, OptionalLong.empty(), null);
        boolean cut;
        synchronized (this) {
            cutPreStart = run.cancel();
            cut = gen != generation || stopWhenSpawned;
        }
        if (cut) {
            run.cancel().run();
        }
        run.result().thenCompose(x -> engine.launcher.submit(() -> SpawnedProcess.spawn(engine, spec, id, port(), asked)))
                .whenCompleteAsync((sp, err) -> onSpawned(gen, sp, err), engine.callbacks);
    }

    private void onSpawned(long gen, SpawnedProcess sp, Throwable err) {
        InstanceProbeContext probeContext = err != null || spec.probes().isEmpty() ? null
                : probeContext(sp.process(), sp.environment());
        if (probeContext != null) {
            // User SPI code, so outside the lock; before the pumps start, so a probe counting output sees every line.
            for (ProbeSettings ps : spec.probes()) {
                try {
                    ps.probe().spawned(probeContext);
                } catch (RuntimeException e) {
                    LOG.warn("probe {} failed on spawn of {}#{}", ps.probe().describe(), spec.name(), id, e);
                }
            }
        }
        synchronized (this) {
            if (gen != generation || state != InstanceState.STARTING) {
                // STARTING only leaves through here; never leak a process if that ever changes.
                LOG.error("spawn result for {}#{} arrived in state {}; killing it", spec.name(), id, state);
                if (sp != null) {
                    sp.process().destroyForcibly();
                    closeStreams(sp.process()); // nobody will read them
                }
                return;
            }
            cutPreStart = null;
            Throwable hookCause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (hookCause instanceof HookRunner.HookFailure) {
                preStartFailed(gen, (HookRunner.HookFailure) hookCause);
            } else if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                String reason = cause instanceof LaunchPlan.SpawnFailure ? cause.getMessage()
                        : "spawn failed: " + cause;
                failureReason = reason;
                move(new ProcessFailed(engine.now(), spec.name(), id, reason));
                failStart(reason, cause);
                failRestartWatch(reason);
                settleWaiters(reason);
                if (stopWhenSpawned) {
                    stopWhenSpawned = false;
                    complete(stopping, StopOutcome.NOT_RUNNING);
                    releaseQueuedStart();
                }
            } else {
                Process p = sp.process();
                attach(p, sp.startTicks());
                boolean gated = spec.startupProbe().isPresent() || spec.readinessProbe().isPresent();
                if (stopWhenSpawned) {
                    stopWhenSpawned = false;
                    beginStop(System.nanoTime(), null); // its start was cancelled when the stop came
                } else {
                    if (probeContext != null) {
                        startHealth(gen, p, sp.startTicks(), probeContext);
                    }
                    if (gated) {
                        // the probes decide when it is RUNNING
                    } else if (spec.readyAfter().isZero()) {
                        becomeReady(p);
                    } else {
                        readyTimer = engine.schedule(() -> onReadyDue(gen), spec.readyAfter());
                    }
                }
                // Off the JDK's small-stack process-reaper thread: exit handling runs on the engine thread.
                after.add(() -> p.onExit().whenCompleteAsync((x, e) -> onExit(gen, p), engine.callbacks));
            }
        }
        runAfter();
    }

    /** Closes the pipes of a process nobody will read (the native path holds them until someone does). */
    private static void closeStreams(Process p) {
        for (java.io.Closeable c : new java.io.Closeable[] {p.getInputStream(), p.getErrorStream()}) {
            try {
                c.close();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("closing a pipe of pid {} failed", p.pid(), e);
            }
        }
    }

    /** Takes ownership of a spawned process: identity and output pumps. */
    private void attach(Process p, long ticks) {
        settleSpawnWaiters(null);
        process = p;
        startTicks = ticks;
        spawnedAtNanos = engine.ticker.read();
        startedAt = engine.now();
        if (spec.captureOutput()) {
            String thread = "tspm-" + engine.name + "-" + spec.name() + "-" + id;
            int maxLine = spec.logs().maxLineLength();
            CompletableFuture<Void> out = engine.spawner.pump(p, OutputStreamKind.STDOUT,
                    output.writer(OutputStreamKind.STDOUT, p.pid()), maxLine, thread + "-out");
            outputDrained = spec.mergeStderr() ? out : CompletableFuture.allOf(out, engine.spawner.pump(p,
                    OutputStreamKind.STDERR, output.writer(OutputStreamKind.STDERR, p.pid()), maxLine, thread + "-err"));
        } else {
            outputDrained = CompletableFuture.completedFuture(null);
        }
        engine.publish(new ProcessSpawned(engine.now(), spec.name(), id, p.pid()));
        after.add(traffic::newProcess);
        if (spec.traffic().panicThreshold() > 0) {
            after.add(group::endpointsChanged);
        }
        usage = null;
        cpu.clear(); // a new process: its average starts afresh
        if (memoryLimit != null) {
            memoryLimit.reset();
        }
        killReason = null; // a new process starts with a clean slate
        engine.sampler.watch(this);
    }

    /** The current process's pid and start ticks, or null when none runs (for the sampler). */
    synchronized long[] identity() {
        return process == null ? null : new long[] {process.pid(), startTicks};
    }

    /** A resource sample of process {@code pid}; enforces the memory limit. */
    void onSample(long pid, ResourceUsage sample) {
        synchronized (this) {
            if (process == null || process.pid() != pid
                    || (state != InstanceState.RUNNING && state != InstanceState.STARTING)) {
                return; // a stopping process is not judged
            }
            usage = sample.withCpuPercentAverage(cpu.add(sample.cpuPercent()));
            if (memoryLimit == null || sample.memoryBytes().isEmpty()) {
                return;
            }
            long used = sample.memoryBytes().getAsLong();
            if (memoryLimit.warnedBy(used)) {
                engine.publish(new io.tspm.event.MemoryLimitWarning(engine.now(), spec.name(), id, used,
                        memoryLimit.limitBytes(), memoryLimit.warningRatio()));
            }
            if (!memoryLimit.exceededBy(used) || killReason != null || reloadReason != null) {
                return;
            }
            String reason = memoryLimit.reason(used);
            engine.publish(new MemoryLimitExceeded(engine.now(), spec.name(), id, used, memoryLimit.limitBytes(),
                    memoryLimit.over()));
            if (spec.memoryLimitAction() == MemoryLimitAction.RELOAD && state == InstanceState.RUNNING
                    && planner.admitRestart(engine.ticker.read())) {
                reloadReason = reason + " (replaced by a reload)";
                after.add(() -> group.reloadInstance(this));
            } else {
                killReason = reason;
                failStart(killReason, null);
                setReady(false);
                Process p = process;
                long ticks = startTicks;
                after.add(() -> kill(p, ticks));
            }
        }
        runAfter(); // every return above comes before anything is queued
    }

    private void onReadyDue(long gen) {
        synchronized (this) {
            if (state != InstanceState.STARTING || gen != generation || process == null || killReason != null) {
                return; // killReason: it is being killed (a probe, the memory limit), and its start failed
            }
            readyTimer = null;
            becomeReady(process);
        }
        runAfter();
    }

    private InstanceProbeContext probeContext(Process p, Map<String, String> env) {
        return new InstanceProbeContext(engine, spec.name(), id, p.pid(), port(), env, Duration.ofSeconds(1),
                output);
    }

    /** Starts the probes of a fresh process; their verdicts count only while it is the current one. */
    private void startHealth(long gen, Process p, long ticks, InstanceProbeContext context) {
        HealthMonitor monitor = new HealthMonitor(engine, engine.probePool, context, new ProbeVerdicts(this, gen, p, ticks),
                spec.startupProbe().orElse(null), spec.readinessProbe().orElse(null), spec.livenessProbe().orElse(null));
        health = monitor;
        after.add(monitor::start);
    }

    // ---- what the probes decide (ProbeVerdicts words them); each counts only for its own process ----

    /** The startup probe passed: without a readiness probe that makes it ready. */
    void startupPassed(long gen, Process p) {
        synchronized (this) {
            if (current(gen, p) && state == InstanceState.STARTING && spec.readinessProbe().isEmpty()) {
                becomeReady(p);
            }
        }
        runAfter();
    }

    /** The readiness probe's verdict changed: RUNNING at first, later only the ready flag. */
    void readinessChanged(long gen, Process p, boolean passing, String probe, String message) {
        synchronized (this) {
            if (!current(gen, p)) {
                return;
            }
            if (state == InstanceState.STARTING && passing) {
                becomeReady(p);
            } else if (state == InstanceState.RUNNING && ready != passing) {
                setReady(passing);
                if (passing) {
                    settleReadyWaiters(null);
                }
                engine.publish(new HealthChanged(engine.now(), spec.name(), id, probe, passing, message));
            }
        }
        runAfter();
    }

    /** A probe failed for good: the process is killed, and its exit is a failure with {@code reason}. */
    void probeFailed(long gen, Process p, long ticks, String probe, String reason, String message) {
        synchronized (this) {
            if (!current(gen, p) || killReason != null
                    || (state != InstanceState.STARTING && state != InstanceState.RUNNING)) {
                return;
            }
            killReason = reason;
            failStart(killReason, null); // start() fails at once, before the process is gone
            if (ready) { // no longer to be picked while it is being killed
                setReady(false);
                engine.publish(new HealthChanged(engine.now(), spec.name(), id, probe, false, message));
            }
            after.add(() -> kill(p, ticks));
        }
        runAfter();
    }

    /** Stops the tree of a process the supervisor gave up on (a probe, the memory limit); its exit follows. */
    private void kill(Process p, long ticks) {
        engine.tree.kill(p, ticks, spec.stopSignal(), spec.stopTimeout(), spec.name() + "#" + id);
    }

    private boolean current(long gen, Process p) {
        return gen == generation && p == process;
    }

    private void stopHealth() {
        if (health != null) {
            HealthMonitor h = health;
            after.add(h::stop);
            lastProbes = h.statuses();
            health = null;
        }
        setReady(false);
    }

    private void becomeReady(Process p) {
        if (spec.oneShot()) {
            // Running, not ready: a one-shot takes no traffic, and its start completes when it exits 0.
            move(new ProcessReady(engine.now(), spec.name(), id, p.pid()));
            spec.hooks().postStart().ifPresent(h -> after.add(() -> runPostStart(h, p.pid())));
            complete(restartWatch, null);
            return;
        }
        setReady(true);
        if (health != null) {
            health.markReady();
        }
        move(new ProcessReady(engine.now(), spec.name(), id, p.pid()));
        spec.hooks().postStart().ifPresent(h -> after.add(() -> runPostStart(h, p.pid())));
        complete(starting, null);
        complete(restartWatch, null);
        settleReadyWaiters(null);
    }

    /** Whether it is a one-shot whose last run completed: it exited 0 and rests (EXITED). */
    synchronized boolean completed() {
        return spec.oneShot() && state == InstanceState.EXITED && lastExit != null && lastExit.isZero();
    }

    // ---- exit -------------------------------------------------------------------------------

    private void onExit(long gen, Process p) {
        synchronized (this) {
            if (p != process || gen != generation || state == InstanceState.STOPPING) {
                return; // A stop owns this exit, or a newer process replaced this one.
            }
            boolean wasReady = state == InstanceState.RUNNING;
            cancelReadyTimer();
            stopHealth();
            engine.sampler.unwatch(this);
            usage = null;
            String killedForProbe = killReason;
            killReason = null;
            ExitStatus status = new ExitStatus(p.exitValue());
            long now = engine.ticker.read();
            Duration uptime = Duration.ofNanos(Math.max(0, now - spawnedAtNanos));
            long ticks = startTicks;
            lastExit = status;
            process = null;
            move(new ProcessExited(engine.now(), spec.name(), id, p.pid(), status, uptime));
            ExitJudgement j = ExitJudgement.of(status, uptime, wasReady, killedForProbe, signalSent,
                    !retired && group.isMember(this), planner, history, now);
            if (j.startFailure() != null) {
                failStart(j.startFailure(), null);
            }
            RestartPlanner.Decision d = j.decision();
            String reason = j.reason();
            record(p, status, uptime, j.signalled(), d.kind(), d.delay(), reason); // a signal sent through us was asked for
            decide(gen, j, status, uptime);
            // After the decision's tasks: a restart at once is handed to a launcher before the
            // leftovers' scan is scheduled (a wake of the scheduler thread).
            after.add(() -> reapLeftovers(p, ticks));
        }
        runAfter();
    }


    /** What follows an exit the supervisor did not ask for (or a failed preStart), as the judgement decided. */
    private void decide(long gen, ExitJudgement j, ExitStatus status, Duration uptime) {
        RestartPlanner.Decision d = j.decision();
        String reason = j.reason();
        switch (d.kind()) {
            case GIVE_UP:
                failureReason = reason;
                move(new ProcessFailed(engine.now(), spec.name(), id, reason));
                if (spec.oneShot()) {
                    failStart(reason, null);
                }
                failRestartWatch(reason);
                settleReadyWaiters(reason);
                settleSpawnWaiters(reason);
                break;
            case RESTART:
                move(new RestartScheduled(engine.now(), spec.name(), id, spawns, d.delay()));
                if (spec.restartStrategy() != RestartStrategy.ONE_FOR_ONE && engine.coordinator != null) {
                    if (restartWatch == null || restartWatch.isDone()) {
                        restartWatch = new CompletableFuture<>();
                    }
                    CompletableFuture<Void> watch = restartWatch;
                    RestartCoordinator coordinator = engine.coordinator;
                    Duration delay = d.delay();
                    // REST_FOR_ONE: the delay starts once the dependents have stopped (OTP's order).
                    after.add(() -> coordinator.restarting(spec, id, watch)
                            .whenComplete((x, e) -> scheduleRestart(gen, delay)));
                } else if (d.delay().isZero()) {
                    // No wait asked for: restarted as soon as the lock is let go, not a scheduler turn later.
                    after.add(() -> onRestartDue(gen));
                } else {
                    restartTimer = engine.schedule(() -> onRestartDue(gen), d.delay());
                }
                break;
            case STAY_EXITED:
                if (spec.oneShot() && status.isZero()) { // the task is done: that is what its start waited for
                    complete(starting, null);
                    settleReadyWaiters(null);
                    settleSpawnWaiters(null);
                    break;
                }
                if (spec.oneShot()) {
                    failStart("the one-shot task failed: " + status + " after " + Human.duration(uptime), null);
                }
                failRestartWatch("exited with " + status + " and is not restarted");
                settleReadyWaiters("it exited (" + status + ") and is not restarted");
                break;
            default:
                throw new AssertionError(d.kind());
        }
    }

    /**
     * A preStart hook failed: a failed start with the hook's output, counted by the restart policy
     * as a crash would be; or, when a stop came meanwhile, the stop, with no process to stop.
     */
    private void preStartFailed(long gen, HookRunner.HookFailure f) {
        engine.publish(new HookFailed(engine.now(), spec.name(), id, HookPhase.PRE_START,
                spec.hooks().preStart().map(Object::toString).orElse("?"), f.getMessage(), f.lines));
        if (stopWhenSpawned) {
            stopWhenSpawned = false;
            move(new ProcessStopped(engine.now(), spec.name(), id, OptionalLong.empty(), StopOutcome.NOT_RUNNING,
                    Optional.empty()));
            complete(stopping, StopOutcome.NOT_RUNNING);
            releaseQueuedStart();
            return;
        }
        ExitStatus status = f.status;
        lastExit = status;
        move(new ProcessExited(engine.now(), spec.name(), id, f.pid, status, Duration.ZERO));
        ExitJudgement j = ExitJudgement.of(status, Duration.ZERO, false, f.getMessage(), null,
                !retired && group.isMember(this), planner, history, engine.ticker.read());
        failStart(j.startFailure(), f);
        history.add(new ExitRecord(engine.now(), f.pid, status, Duration.ZERO, false, j.decision().kind(),
                j.decision().delay(), Optional.ofNullable(j.reason()), f.lines));
        decide(gen, j, status, Duration.ZERO);
    }

    /** Runs the postStart hook in the background; a failure is an event and a log line, not a stop. */
    private void runPostStart(Hook hook, long pid) {
        HookRunner.Run run = hooks.run(HookPhase.POST_START, hook, OptionalLong.of(pid), null);
        synchronized (this) {
            postStartRun = run;
        }
        run.result().whenComplete((x, e) -> {
            synchronized (this) {
                if (postStartRun == run) {
                    postStartRun = null;
                }
            }
            if (e != null) {
                hooks.reportFailure(HookPhase.POST_START, hook, e);
            }
        });
    }


    /**
     * Adds an exit to the history; its output lines follow once the process's output has been read
     * to its end, or after a short wait (a grandchild may hold the pipe open).
     */
    private void record(Process p, ExitStatus status, Duration uptime, boolean requested, RestartDecision decision,
            Duration delay, String reason) {
        ExitHistory.Slot slot = history.add(new ExitRecord(engine.now(), p.pid(), status, uptime, requested, decision,
                delay, Optional.ofNullable(reason), output.lastTextsOf(p.pid(), EXIT_OUTPUT_LINES)));
        CompletableFuture<Void> drained = outputDrained;
        after.add(() -> engine.orAfter(drained, OUTPUT_DRAIN)
                .thenRun(() -> slot.output(output.lastTextsOf(p.pid(), EXIT_OUTPUT_LINES))));
    }

    /** Descendants that outlived the child are its orphans: stop them, then forget the session. */
    private void reapLeftovers(Process p, long ticks) {
        engine.tree.reapLeftovers(p, ticks, spec.stopSignal(), spec.stopTimeout())
                .whenComplete((o, e) -> engine.forgetSession(p.pid()));
    }

    private void onRestartDue(long gen) {
        synchronized (this) {
            if (state != InstanceState.BACKOFF || gen != generation || engine.isClosing() || group.isRetired()
                    || retired) {
                return; // a closing supervisor's stop moves it to STOPPED
            }
            restartTimer = null;
            beginStart(false);
        }
        runAfter();
    }

    // ---- stop -------------------------------------------------------------------------------

    public CompletableFuture<StopOutcome> stopAsync() {
        return stopAsync(System.nanoTime(), "a stop of " + spec.name() + "#" + id);
    }

    /**
     * A stop by the user (directly, through its group or the supervisor).
     *
     * @param requestedAt when the stop was asked for (real nanoTime, not the ticker: the process
     *                    table must be read after this moment, whatever time the supervisor keeps)
     * @param by          the request, in words, for the starts it cancels ("a stop of process 'web'")
     */
    CompletableFuture<StopOutcome> stopAsync(long requestedAt, String by) {
        CompletableFuture<StopOutcome> result;
        synchronized (this) {
            userStops++; // strategy restarts planned before this stop must not undo it
            result = stopLocked(requestedAt, by);
        }
        runAfter();
        return result;
    }

    /**
     * @param by the request that stops it, in words; null for a restart, whose start then answers
     *           the start queued before it instead of cancelling it
     */
    private CompletableFuture<StopOutcome> stopLocked(long requestedAt, String by) {
        if (by != null) {
            cancelQueuedStart(by); // the last request wins
        }
        if (!retired) {
            reloadReason = null; // not (yet) replaced by the reload: this stop is not a replacement
        }
        switch (state) {
            case STOPPED:
            case FAILED:
                return CompletableFuture.completedFuture(StopOutcome.NOT_RUNNING);
            case EXITED:
            case BACKOFF:
                cancelRestartTimer();
                failRestartWatch("stopped");
                if (by != null) {
                    settleWaiters("it was stopped");
                }
                move(new ProcessStopped(engine.now(), spec.name(), id, OptionalLong.empty(), StopOutcome.NOT_RUNNING,
                        Optional.empty()));
                return CompletableFuture.completedFuture(StopOutcome.NOT_RUNNING);
            case STARTING:
                if (process == null) {
                    if (stopping == null || stopping.isDone()) {
                        stopping = new CompletableFuture<>();
                    }
                    stopWhenSpawned = true; // the spawn is in flight; stop what it brings
                    if (cutPreStart != null) {
                        after.add(cutPreStart); // a preStart hook under way: no need to wait for it
                    }
                    if (by != null) {
                        cancelStart(by);
                        settleWaiters("it was stopped");
                    }
                    return stopping;
                }
                return beginStop(requestedAt, by);
            case RUNNING:
                return beginStop(requestedAt, by);
            case STOPPING:
                return stopping;
            default:
                throw new AssertionError(state);
        }
    }

    private CompletableFuture<StopOutcome> beginStop(long requestedAt, String by) {
        if (stopping == null || stopping.isDone()) {
            stopping = new CompletableFuture<>();
        }
        Process p = process;
        long ticks = startTicks;
        long gen = generation;
        cancelReadyTimer();
        stopHealth();
        killReason = null;
        move(new ProcessStopping(engine.now(), spec.name(), id, p.pid(), spec.stopSignal()));
        if (by != null) {
            cancelStart(by);
            settleWaiters("it was stopped");
        } // a restart's start takes over the start under way (beginStart reuses its future) and the waiters
        failRestartWatch("stopped");
        CompletableFuture<StopOutcome> result = stopping;
        HookRunner.Run postStart = postStartRun;
        postStartRun = null;
        if (postStart != null) {
            after.add(postStart.cancel()); // the process it was for is going
        }
        String why = by != null ? by : "a restart of " + spec.name() + "#" + id;
        Optional<Hook> preStop = spec.hooks().preStop();
        after.add(() -> {
            if (preStop.isEmpty()) {
                stopTree(gen, p, ticks, requestedAt, spec.stopTimeout(), why);
                return;
            }
            // The hook runs inside the stop timeout: what it takes, the signal's grace loses.
            long began = engine.ticker.read();
            HookRunner.Run run = hooks.run(HookPhase.PRE_STOP, preStop.get(), OptionalLong.of(p.pid()), why);
            engine.orAfter(run.result().handle((x, e) -> {
                if (e != null) {
                    hooks.reportFailure(HookPhase.PRE_STOP, preStop.get(), e);
                }
                return true;
            }), spec.stopTimeout()).whenComplete((done, e) -> {
                if (done == null) {
                    run.cancel().run(); // it used up the whole stop timeout
                }
                Duration left = spec.stopTimeout().minusNanos(engine.ticker.read() - began);
                stopTree(gen, p, ticks, System.nanoTime(), left.isNegative() ? Duration.ZERO : left, why);
            });
        });
        return result;
    }

    /** Signals the process tree, kills it at {@code timeout}, then runs the postStop hook; then STOPPED. */
    private void stopTree(long gen, Process p, long ticks, long requestedAt, Duration timeout, String why) {
        CompletableFuture<StopOutcome> tree;
        try {
            tree = engine.tree.stop(p, ticks, spec.stopSignal(), timeout, requestedAt);
        } catch (RuntimeException e) {
            LOG.error("stopping {}#{} (pid {}) failed; killing it", spec.name(), id, p.pid(), e);
            p.destroyForcibly();
            tree = CompletableFuture.completedFuture(StopOutcome.KILLED);
        }
        tree.exceptionally(e -> {
            LOG.error("stopping {}#{} (pid {}) failed; killing it", spec.name(), id, p.pid(), e);
            p.destroyForcibly();
            return StopOutcome.KILLED;
        }).thenCompose(outcome -> p.onExit().thenApply(x -> outcome))
                .thenCompose(outcome -> postStop(why).thenApply(x -> outcome))
                .whenCompleteAsync((outcome, e) -> onStopped(gen, p, outcome), engine.callbacks);
    }

    /** The postStop hook, if any, once the tree is gone; never fails (a failure is an event and a log line). */
    private CompletableFuture<Void> postStop(String why) {
        return spec.hooks().postStop().map(h -> hooks.runReported(HookPhase.POST_STOP, h, OptionalLong.empty(), why))
                .orElse(CompletableFuture.completedFuture(null));
    }

    /** The process has exited (waited for: never called while it may still run). */
    private void onStopped(long gen, Process p, StopOutcome outcome) {
        synchronized (this) {
            if (state != InstanceState.STOPPING || gen != generation || p != process) {
                return;
            }
            ExitStatus status = new ExitStatus(p.exitValue());
            lastExit = status;
            process = null;
            engine.sampler.unwatch(this);
            usage = null;
            killReason = null;
            if (reloadReason != null) { // replaced for the memory limit: a crash with its reason
                record(p, status, Duration.ofNanos(Math.max(0, engine.ticker.read() - spawnedAtNanos)), false,
                        RestartDecision.RESTART, Duration.ZERO, reloadReason);
            } else {
                record(p, status, Duration.ofNanos(Math.max(0, engine.ticker.read() - spawnedAtNanos)), true,
                        RestartDecision.REQUESTED, Duration.ZERO, null);
            }
            move(new ProcessStopped(engine.now(), spec.name(), id, OptionalLong.of(p.pid()), outcome,
                    Optional.of(status)));
            complete(stopping, outcome);
            after.add(() -> engine.forgetSession(p.pid()));
            releaseQueuedStart();
        }
        runAfter();
    }

    public CompletableFuture<Void> restartAsync() {
        return restart(true);
    }

    private void scheduleRestart(long gen, Duration delay) {
        synchronized (this) {
            if (state == InstanceState.BACKOFF && gen == generation && restartTimer == null) {
                restartTimer = engine.schedule(() -> onRestartDue(gen), delay);
            }
        }
    }

    /**
     * Restarts this instance if it runs or starts, decided and done under its lock (a user's stop
     * that comes first wins; one that comes later cancels the queued start): ONE_FOR_ALL, cron,
     * watch and rolling restarts. Null when it was not active, and is left alone.
     */
    CompletableFuture<Void> restartIfActive() {
        CompletableFuture<Void> result;
        synchronized (this) {
            if (state != InstanceState.RUNNING && !(state == InstanceState.STARTING && !stopWhenSpawned)) {
                return null;
            }
            stopLocked(System.nanoTime(), null);
            result = startLocked(false);
        }
        runAfter();
        return result;
    }

    /** A stop a strategy asked for, and the user-stop epoch to start again under. */
    record StrategyStop(ManagedInstance instance, long epoch, CompletableFuture<StopOutcome> stopped) {
    }

    /** REST_FOR_ONE: stops this instance if it is active; null when it is not. */
    StrategyStop stopForStrategy() {
        StrategyStop result;
        synchronized (this) {
            if (state != InstanceState.RUNNING && state != InstanceState.STARTING && state != InstanceState.BACKOFF) {
                return null;
            }
            result = new StrategyStop(this, userStops, stopLocked(System.nanoTime(),
                    "a REST_FOR_ONE restart after a dependency crashed"));
        }
        runAfter();
        return result;
    }

    /** REST_FOR_ONE: starts it again, unless the user stopped it since (or it is closing). */
    CompletableFuture<Void> startForStrategy(long epoch) {
        CompletableFuture<Void> result;
        synchronized (this) {
            if (userStops != epoch) {
                return CompletableFuture.completedFuture(null);
            }
            result = startLocked(false);
        }
        runAfter();
        return result;
    }

    /** Stops, and queues the start under the same lock, so a later stop cancels it. */
    private CompletableFuture<Void> restart(boolean byUser) {
        CompletableFuture<Void> result;
        synchronized (this) {
            stopLocked(System.nanoTime(), null);
            result = startLocked(byUser);
        }
        runAfter();
        return result;
    }

    public boolean signal(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        Process p;
        long ticks;
        synchronized (this) {
            p = process;
            ticks = startTicks;
            if (p == null || !p.isAlive()) {
                return false;
            }
            signalSent = signal; // a death by this signal was asked for: not a failure
        }
        engine.tree.send(signal, List.of(new ProcessTree.Member(p.pid(), ticks, p.toHandle())));
        return true;
    }

    // ---- helpers (call with the lock held, except runAfter) ---------------------------------

    /** Moves to the event's state; a move the table forbids is a bug, never silently done. */
    private void move(TransitionEvent event) {
        InstanceState to = event.state();
        if (!state.canMoveTo(to)) {
            throw new IllegalStateException(spec.name() + "#" + id + ": " + state + " -> " + to
                    + " is not an allowed transition");
        }
        state = to;
        engine.publish(event);
        if (spec.traffic().panicThreshold() > 0) {
            after.add(group::endpointsChanged); // in panic mode, alive counts, not only ready
        }
    }

    /** After a stop: begins the start that was queued behind it, if any. */
    private void releaseQueuedStart() {
        if (queuedStart == null || queuedStart.isDone()) {
            return;
        }
        CompletableFuture<Void> waiter = queuedStart;
        boolean byUser = queuedStartByUser;
        queuedStart = null;
        queuedStartByUser = false;
        CompletableFuture<Void> started = startLocked(byUser);
        after.add(() -> started.whenComplete((x, e) -> {
            if (e != null) {
                waiter.completeExceptionally(e);
            } else {
                waiter.complete(null);
            }
        }));
    }

    private void cancelQueuedStart(String by) {
        if (queuedStart != null && !queuedStart.isDone()) {
            CompletableFuture<Void> f = queuedStart;
            after.add(() -> f.completeExceptionally(new io.tspm.StartCancelledException(spec.name(), id, by, null)));
            cancelStart(by); // a start a restart took over waits on the queued one
            settleWaiters("it was stopped");
        }
        queuedStart = null;
        queuedStartByUser = false;
    }

    /** Fails the waiters of the start under way: a later request won. */
    private void cancelStart(String by) {
        if (starting != null && !starting.isDone()) {
            CompletableFuture<Void> f = starting;
            doomedStart = f;
            after.add(() -> f.completeExceptionally(new io.tspm.StartCancelledException(spec.name(), id, by, null)));
        }
    }

    private void cancelReadyTimer() {
        if (readyTimer != null) {
            readyTimer.cancel(false);
            readyTimer = null;
        }
    }

    private void cancelRestartTimer() {
        if (restartTimer != null) {
            restartTimer.cancel(false);
            restartTimer = null;
        }
    }

    private void failRestartWatch(String reason) {
        if (restartWatch != null && !restartWatch.isDone()) {
            CompletableFuture<Void> w = restartWatch;
            after.add(() -> w.completeExceptionally(new TspmException(
                    "process '" + spec.name() + "' instance " + id + " did not run again: " + reason)));
        }
    }

    /** Fails the waiters of a start, with the output the process printed (read to its end first). */
    private void failStart(String reason, Throwable cause) {
        if (starting != null && !starting.isDone() && starting != doomedStart) {
            CompletableFuture<Void> f = starting;
            doomedStart = f;
            CompletableFuture<Void> drained = outputDrained;
            after.add(() -> engine.orAfter(drained, OUTPUT_DRAIN).thenRun(() -> f.completeExceptionally(
                    new ProcessStartException(spec.name(), id, reason, output.lastTexts(START_FAILURE_LINES), cause))));
        }
    }

    private <T> void complete(CompletableFuture<T> f, T value) {
        if (f != null && !f.isDone()) {
            after.add(() -> f.complete(value));
        }
    }

    /** Runs, outside the lock, what the last locked section queued. */
    private void runAfter() {
        List<Runnable> todo;
        synchronized (this) {
            if (after.isEmpty()) {
                return;
            }
            todo = new ArrayList<>(after);
            after.clear();
        }
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (Throwable t) {
                LOG.error("{}#{}: internal action failed", spec.name(), id, t);
            }
        }
    }
}
