package io.tspm.internal;

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
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.ProcessStartException;
import io.tspm.ResourceUsage;
import io.tspm.RestartDecision;
import io.tspm.RestartStrategy;
import io.tspm.Signal;
import io.tspm.StopOutcome;
import io.tspm.TspmException;
import io.tspm.event.HealthChanged;
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
import java.util.concurrent.TimeUnit;
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
final class ManagedInstance implements ProcessInstance, ManagedInstanceView {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedInstance.class);
    /** Lines of output kept with each exit record. */
    static final int EXIT_OUTPUT_LINES = 20;
    /** How long an exit waits for the rest of the process's output before recording it. */
    static final long OUTPUT_DRAIN_MILLIS = 200;

    private final Engine engine;
    private final int portLane;
    private final ManagedGroup group;
    private final ProcessSpec spec;
    private final int id;
    private final InstanceOutput output;
    private final ExitHistory history;

    // Guarded by this.
    private final RestartPlanner planner;
    private InstanceState state = InstanceState.STOPPED;
    private long generation;
    private Process process;
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
    private CompletableFuture<StopOutcome> stopping;
    private boolean stopWhenSpawned;
    /** A start asked for while a stop runs; it begins when the stop ends, unless a later stop cancels it. */
    private CompletableFuture<Void> queuedStart;
    private boolean queuedStartByUser;
    private CompletableFuture<Void> restartWatch;
    /** Scaled away or replaced: it refuses to start again. */
    private volatile boolean retired;

    /** Counts the user's stops; a strategy's restart carries the count it saw, and is void if it moved. */
    private long userStops;
    private HealthMonitor health;
    /** RUNNING and its readiness probe (if any) passing. */
    private boolean ready;
    /** Why the supervisor is killing the current process (a probe, the memory limit), told when it exits. */
    private String killReason;
    /** Why a reload is replacing this instance (the memory limit); its last exit record tells it. */
    private String reloadReason;
    private volatile ResourceUsage usage;
    /** Null without a maxMemory. */
    private final MemoryLimit memoryLimit;
    private final List<Runnable> after = new ArrayList<>();

    ManagedInstance(Engine engine, ManagedGroup group, ProcessSpec spec, int id) {
        this(engine, group, spec, id, 0);
    }

    /** @param portLane 0: {@code basePort + id}; 1: {@code + reloadPortSpan} (a reload's replacement) */
    ManagedInstance(Engine engine, ManagedGroup group, ProcessSpec spec, int id, int portLane) {
        this(engine, group, spec, id, portLane, null);
    }

    /**
     * @param predecessor the instance this one replaces in a reload: the slot keeps its exit history
     *                    (shared) and crash-loop window (copied); null for a new slot
     */
    ManagedInstance(Engine engine, ManagedGroup group, ProcessSpec spec, int id, int portLane,
            ManagedInstance predecessor) {
        this.portLane = portLane;
        this.engine = engine;
        this.group = group;
        this.spec = spec;
        this.id = id;
        this.output = new InstanceOutput(engine, spec, id);
        this.memoryLimit = spec.maxMemory().isPresent()
                ? new MemoryLimit(spec.maxMemory().getAsLong(), spec.memoryLimitSamples()) : null;
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

    /** Refuses every later start: it was scaled away, replaced by a reload, or its replacement was given up. */
    void retire() {
        retired = true;
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

    @Override
    public String processName() {
        return spec.name();
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public synchronized InstanceState state() {
        return state;
    }

    @Override
    public OptionalInt port() {
        return spec.basePort().isPresent()
                ? OptionalInt.of(spec.basePort().getAsInt() + id + portLane * spec.reloadPortSpan())
                : OptionalInt.empty();
    }

    int portLane() {
        return portLane;
    }

    /** A memory-limit reload of this instance failed: it keeps running, and may be judged again. */
    synchronized void reloadFailed() {
        reloadReason = null;
        if (memoryLimit != null) {
            memoryLimit.reset();
        }
    }

    @Override
    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public synchronized InstanceSnapshot snapshot() {
        Duration uptime = process == null ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, engine.ticker.read() - spawnedAtNanos));
        return new InstanceSnapshot(spec.name(), spec.namespace(), id, state, state == InstanceState.RUNNING && ready,
                pid(), Math.max(0, spawns - 1),
                uptime, Optional.ofNullable(startedAt), Optional.ofNullable(lastExit),
                Optional.ofNullable(failureReason),
                history.stats(planner.restartsInWindow(engine.ticker.read()), planner.currentBackoff()),
                Optional.ofNullable(usage));
    }

    @Override
    public List<ExitRecord> exitHistory() {
        return history.records();
    }

    @Override
    public List<String> recentOutput(int n) {
        return output.lastTexts(n);
    }

    @Override
    public List<OutputLine> recentLines(int n) {
        return output.last(n);
    }

    @Override
    public void addLineListener(LineListener listener) {
        output.addListener(listener);
    }

    @Override
    public void removeLineListener(LineListener listener) {
        output.removeListener(listener);
    }

    @Override
    public OutputLine awaitLine(Pattern pattern, Duration timeout) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(timeout, "timeout");
        long pid;
        synchronized (this) {
            pid = process == null ? 0 : process.pid();
        }
        return output.awaitLine(pattern, pid, timeout);
    }

    @Override
    public OutputStats outputStats() {
        return output.stats();
    }

    // ---- start ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> awaitReadyAsync() {
        synchronized (this) {
            if (state == InstanceState.RUNNING && ready) {
                return CompletableFuture.completedFuture(null);
            }
            if (state == InstanceState.STARTING && starting != null) {
                return starting.copy(); // the caller may cancel or time out its own copy only
            }
            if (state == InstanceState.FAILED || state == InstanceState.EXITED || state == InstanceState.STOPPED) {
                String why = state == InstanceState.FAILED ? failureReason
                        : state == InstanceState.EXITED ? "it exited (" + lastExit + ") and is not restarted"
                        : "it is stopped";
                return CompletableFuture.failedFuture(new ProcessStartException(spec.name(), id,
                        "not ready: " + why, output.lastTexts(200), null));
            }
        }
        // Running but not ready (its readiness probe failing), or between starts: wait for readiness.
        return ReadinessWait.of(engine, this);
    }

    @Override
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
                return beginStart();
            case STOPPED:
            case EXITED:
            case FAILED:
                if (byUser) {
                    planner.reset();
                }
                return beginStart();
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

    /** Enters STARTING and hands the spawn to the launcher thread. */
    private CompletableFuture<Void> beginStart() {
        if (starting == null || starting.isDone()) {
            starting = new CompletableFuture<>();
        }
        long gen = ++generation;
        spawns++;
        failureReason = null;
        signalSent = null;
        move(new ProcessStarting(engine.now(), spec.name(), id, spawns));
        CompletableFuture<Void> result = starting;
        // The launcher thread only spawns (and registers with the reaper); the rest runs on the engine thread.
        after.add(() -> engine.launcher.submit(() -> SpawnedProcess.spawn(engine, spec, id, port()))
                .whenCompleteAsync((sp, err) -> onSpawned(gen, sp, err), engine.callbacks));
        return result;
    }

    private void onSpawned(long gen, SpawnedProcess sp, Throwable err) {
        synchronized (this) {
            if (gen != generation || state != InstanceState.STARTING) {
                // STARTING only leaves through here; never leak a process if that ever changes.
                LOG.error("spawn result for {}#{} arrived in state {}; killing it", spec.name(), id, state);
                if (sp != null) {
                    sp.process().destroyForcibly();
                }
                return;
            }
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                String reason = cause instanceof LaunchPlan.SpawnFailure ? cause.getMessage()
                        : "spawn failed: " + cause;
                failureReason = reason;
                move(new ProcessFailed(engine.now(), spec.name(), id, reason));
                failStart(reason, cause);
                failRestartWatch(reason);
                if (stopWhenSpawned) {
                    stopWhenSpawned = false;
                    complete(stopping, StopOutcome.NOT_RUNNING);
                    releaseQueuedStart();
                }
            } else {
                Process p = sp.process();
                InstanceProbeContext probeContext = spec.probes().isEmpty() ? null : probeContext(p, sp.environment());
                if (probeContext != null) {
                    // Before the pumps start, so a probe counting output sees every line.
                    for (ProbeSettings ps : spec.probes()) {
                        try {
                            ps.probe().spawned(probeContext);
                        } catch (RuntimeException e) {
                            LOG.warn("probe {} failed on spawn of {}#{}", ps.probe().describe(), spec.name(), id, e);
                        }
                    }
                }
                attach(p, sp.startTicks());
                boolean gated = spec.startupProbe().isPresent() || spec.readinessProbe().isPresent();
                if (stopWhenSpawned) {
                    stopWhenSpawned = false;
                    beginStop(System.nanoTime());
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
                after.add(() -> p.onExit().whenComplete((x, e) -> onExit(gen, p)));
            }
        }
        runAfter();
    }

    /** Takes ownership of a spawned process: identity and output pumps. */
    private void attach(Process p, long ticks) {
        process = p;
        startTicks = ticks;
        spawnedAtNanos = engine.ticker.read();
        startedAt = engine.now();
        if (spec.captureOutput()) {
            String thread = "tspm-" + engine.name + "-" + spec.name() + "-" + id;
            int maxLine = spec.logs().maxLineLength();
            CompletableFuture<Void> out = OutputPump.start(thread + "-out", p.getInputStream(),
                    output.writer(OutputStreamKind.STDOUT, p.pid()), maxLine);
            outputDrained = spec.mergeStderr() ? out : CompletableFuture.allOf(out, OutputPump.start(thread + "-err",
                    p.getErrorStream(), output.writer(OutputStreamKind.STDERR, p.pid()), maxLine));
        } else {
            outputDrained = CompletableFuture.completedFuture(null);
        }
        engine.publish(new ProcessSpawned(engine.now(), spec.name(), id, p.pid()));
        usage = null;
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
            usage = sample;
            if (memoryLimit == null || sample.memoryBytes().isEmpty()) {
                return;
            }
            long used = sample.memoryBytes().getAsLong();
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
                ready = false;
                Process p = process;
                long ticks = startTicks;
                after.add(() -> kill(p, ticks));
            }
        }
        runAfter(); // every return above comes before anything is queued
    }

    private void onReadyDue(long gen) {
        synchronized (this) {
            if (state != InstanceState.STARTING || gen != generation || process == null) {
                return;
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
        HealthMonitor monitor = new HealthMonitor(engine, engine.probePool, context, new HealthMonitor.Verdicts() {
            @Override
            public void startupPassed() {
                synchronized (ManagedInstance.this) {
                    if (current(gen, p) && state == InstanceState.STARTING && spec.readinessProbe().isEmpty()) {
                        becomeReady(p);
                    }
                }
                runAfter();
            }

            @Override
            public void readinessChanged(boolean passing, String probe, ProbeResult last) {
                synchronized (ManagedInstance.this) {
                    if (!current(gen, p)) {
                        return;
                    }
                    if (state == InstanceState.STARTING && passing) {
                        becomeReady(p);
                    } else if (state == InstanceState.RUNNING && ready != passing) {
                        ready = passing;
                        engine.publish(new HealthChanged(engine.now(), spec.name(), id,
                                "readiness probe " + probe, passing, last.message()));
                    }
                }
                runAfter();
            }

            @Override
            public void failed(HealthMonitor.Kind kind, String probe, int failures, ProbeResult last) {
                synchronized (ManagedInstance.this) {
                    if (!current(gen, p) || killReason != null
                            || (state != InstanceState.STARTING && state != InstanceState.RUNNING)) {
                        return;
                    }
                    killReason = kind.label + " probe " + probe + " failed"
                            + (last.fatal() ? "" : " " + failures + (failures == 1 ? " time" : " times"))
                            + ": " + last.message();
                    failStart(killReason, null); // start() fails at once, before the process is gone
                    if (ready) { // no longer to be picked while it is being killed
                        ready = false;
                        engine.publish(new HealthChanged(engine.now(), spec.name(), id,
                                kind.label + " probe " + probe, false, last.message()));
                    }
                    after.add(() -> kill(p, ticks));
                }
                runAfter();
            }
        }, spec.startupProbe().orElse(null), spec.readinessProbe().orElse(null), spec.livenessProbe().orElse(null));
        health = monitor;
        after.add(monitor::start);
    }

    /** Stops the tree of a process the supervisor gave up on (a probe, the memory limit); its exit follows. */
    private void kill(Process p, long ticks) {
        engine.tree.kill(p, ticks, spec.stopSignal(), spec.stopTimeout(), spec.name() + "#" + id);
    }

    @Override
    public Optional<String> lastProbeResult() {
        HealthMonitor h;
        synchronized (this) {
            h = health;
        }
        return h == null ? Optional.empty() : h.lastResult();
    }

    private boolean current(long gen, Process p) {
        return gen == generation && p == process;
    }

    private void stopHealth() {
        if (health != null) {
            HealthMonitor h = health;
            after.add(h::stop);
            health = null;
        }
        ready = false;
    }

    private void becomeReady(Process p) {
        ready = true;
        if (health != null) {
            health.markReady();
        }
        move(new ProcessReady(engine.now(), spec.name(), id, p.pid()));
        complete(starting, null);
        complete(restartWatch, null);
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
            // A kill for a failed probe is a failure, though the supervisor sent the signal.
            boolean signalled = killedForProbe == null && signalSent != null && status.signal().orElse(null) == signalSent;
            long ticks = startTicks;
            lastExit = status;
            process = null;
            move(new ProcessExited(engine.now(), spec.name(), id, p.pid(), status, uptime));
            after.add(() -> reapLeftovers(p, ticks));
            String failedStart = wasReady ? null : "exited before it was ready (" + status + " after " + ExitHistory.human(uptime)
                    + ")";
            if (failedStart != null) {
                failStart(killedForProbe != null ? killedForProbe : failedStart, null);
            }
            // A reload's replacement not yet swapped in, or an instance a reload or scaling let go,
            // is never restarted, nor does its exit restart its siblings: the reload decides.
            RestartPlanner.Decision d = !retired && group.isMember(this)
                    ? planner.onExit(status, uptime, signalled, wasReady, killedForProbe != null, now)
                    : new RestartPlanner.Decision(RestartDecision.STAY_EXITED, Duration.ZERO, null);
            String why = killedForProbe != null ? killedForProbe : failedStart;
            String reason = d.kind() == RestartDecision.GIVE_UP
                    ? d.reason() + (why != null ? " (this time: " + why + ")" : "") + "; last exits: "
                            + history.describeLast(status, uptime, 4)
                    : why;
            record(p, status, uptime, signalled, d.kind(), d.delay(), reason); // a signal sent through us was asked for
            switch (d.kind()) {
                case GIVE_UP:
                    failureReason = reason;
                    move(new ProcessFailed(engine.now(), spec.name(), id, reason));
                    failRestartWatch(reason);
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
                    } else {
                        restartTimer = engine.schedule(() -> onRestartDue(gen), d.delay());
                    }
                    break;
                case STAY_EXITED:
                    failRestartWatch("exited with " + status + " and is not restarted");
                    break;
                default:
                    throw new AssertionError(d.kind());
            }
        }
        runAfter();
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
        after.add(() -> drained.completeOnTimeout(null, OUTPUT_DRAIN_MILLIS, TimeUnit.MILLISECONDS)
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
            beginStart();
        }
        runAfter();
    }

    // ---- stop -------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StopOutcome> stopAsync() {
        return stopAsync(System.nanoTime());
    }

    /**
     * A stop by the user (directly, through its group or the supervisor).
     *
     * @param requestedAt when the stop was asked for (nanoTime): the process table is read after it
     */
    CompletableFuture<StopOutcome> stopAsync(long requestedAt) {
        CompletableFuture<StopOutcome> result;
        synchronized (this) {
            userStops++; // strategy restarts planned before this stop must not undo it
            result = stopLocked(requestedAt);
        }
        runAfter();
        return result;
    }

    private CompletableFuture<StopOutcome> stopLocked(long requestedAt) {
        cancelQueuedStart(); // the last request wins
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
                move(new ProcessStopped(engine.now(), spec.name(), id, OptionalLong.empty(), StopOutcome.NOT_RUNNING,
                        Optional.empty()));
                return CompletableFuture.completedFuture(StopOutcome.NOT_RUNNING);
            case STARTING:
                if (process == null) {
                    if (stopping == null || stopping.isDone()) {
                        stopping = new CompletableFuture<>();
                    }
                    stopWhenSpawned = true; // the spawn is in flight; stop what it brings
                    return stopping;
                }
                return beginStop(requestedAt);
            case RUNNING:
                return beginStop(requestedAt);
            case STOPPING:
                return stopping;
            default:
                throw new AssertionError(state);
        }
    }

    private CompletableFuture<StopOutcome> beginStop(long requestedAt) {
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
        failStart("stopped while starting", null);
        failRestartWatch("stopped");
        CompletableFuture<StopOutcome> result = stopping;
        after.add(() -> {
            CompletableFuture<StopOutcome> tree;
            try {
                tree = engine.tree.stop(p, ticks, spec.stopSignal(), spec.stopTimeout(), requestedAt);
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
                    .whenComplete((outcome, e) -> onStopped(gen, p, outcome));
        });
        return result;
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

    @Override
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
     * ONE_FOR_ALL: restarts this instance if it runs or starts, decided and done under its lock (a
     * user's stop that comes first wins; one that comes later cancels the queued start).
     */
    CompletableFuture<Void> restartIfActive() {
        CompletableFuture<Void> result;
        synchronized (this) {
            if (state != InstanceState.RUNNING && !(state == InstanceState.STARTING && !stopWhenSpawned)) {
                return CompletableFuture.completedFuture(null);
            }
            stopLocked(System.nanoTime());
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
            result = new StrategyStop(this, userStops, stopLocked(System.nanoTime()));
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
            stopLocked(System.nanoTime());
            result = startLocked(byUser);
        }
        runAfter();
        return result;
    }

    @Override
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

    private void cancelQueuedStart() {
        if (queuedStart != null && !queuedStart.isDone()) {
            CompletableFuture<Void> f = queuedStart;
            after.add(() -> f.completeExceptionally(new ProcessStartException(spec.name(), id,
                    "cancelled by a later stop", List.of(), null)));
        }
        queuedStart = null;
        queuedStartByUser = false;
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
        if (starting != null && !starting.isDone()) {
            CompletableFuture<Void> f = starting;
            CompletableFuture<Void> drained = outputDrained;
            after.add(() -> drained.completeOnTimeout(null, OUTPUT_DRAIN_MILLIS, TimeUnit.MILLISECONDS)
                    .thenRun(() -> f.completeExceptionally(
                            new ProcessStartException(spec.name(), id, reason, output.lastTexts(200), cause))));
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
