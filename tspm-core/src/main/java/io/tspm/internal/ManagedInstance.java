package io.tspm.internal;

import io.tspm.ExitStatus;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.ProcessStartException;
import io.tspm.Signal;
import io.tspm.StopOutcome;
import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessFailed;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessSpawned;
import io.tspm.event.ProcessStarting;
import io.tspm.event.ProcessStopped;
import io.tspm.event.ProcessStopping;
import io.tspm.event.RestartScheduled;
import io.tspm.event.TransitionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance slot and its state machine ({@link InstanceState} holds the table). Every
 * transition happens under this object's lock and publishes its event there, so events keep the
 * order of transitions; futures are completed, and slow work started, only after the lock is
 * released (see {@link #after}), so no callback ever runs under it.
 */
final class ManagedInstance implements ProcessInstance {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedInstance.class);
    static final int RING_LINES = 1000;

    private final Engine engine;
    private final ProcessSpec spec;
    private final int id;
    private final LineRing output = new LineRing(RING_LINES);
    private final Logger processLogger;
    private final RestartPlanner planner;

    // Guarded by this.
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
    private CompletableFuture<Void> starting;
    private CompletableFuture<StopOutcome> stopping;
    private boolean stopWhenSpawned;
    private final List<Runnable> after = new ArrayList<>();

    ManagedInstance(Engine engine, ProcessSpec spec, int id) {
        this.engine = engine;
        this.spec = spec;
        this.id = id;
        this.processLogger = LoggerFactory.getLogger("tspm." + spec.name());
        this.planner = new RestartPlanner(spec.restartPolicy());
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
    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public synchronized InstanceSnapshot snapshot() {
        Duration uptime = process == null ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, engine.ticker.read() - spawnedAtNanos));
        return new InstanceSnapshot(spec.name(), spec.namespace(), id, state, pid(), Math.max(0, spawns - 1),
                uptime, Optional.ofNullable(startedAt), Optional.ofNullable(lastExit),
                Optional.ofNullable(failureReason));
    }

    @Override
    public List<String> recentOutput(int n) {
        return output.last(n);
    }

    // ---- start ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> startAsync() {
        CompletableFuture<Void> result;
        synchronized (this) {
            switch (state) {
                case RUNNING:
                    result = CompletableFuture.completedFuture(null);
                    break;
                case STARTING:
                    result = stopWhenSpawned ? stopping.thenCompose(o -> startAsync()) : starting;
                    break;
                case STOPPING:
                    result = stopping.thenCompose(o -> startAsync());
                    break;
                case BACKOFF:
                    cancelRestartTimer();
                    result = beginStart();
                    break;
                case STOPPED:
                case EXITED:
                case FAILED:
                    result = beginStart();
                    break;
                default:
                    throw new AssertionError(state);
            }
        }
        runAfter();
        return result;
    }

    /** Enters STARTING and hands the spawn to the launcher thread. */
    private CompletableFuture<Void> beginStart() {
        if (starting == null || starting.isDone()) {
            starting = new CompletableFuture<>();
        }
        long gen = ++generation;
        spawns++;
        failureReason = null;
        move(new ProcessStarting(engine.now(), spec.name(), id, spawns));
        CompletableFuture<Void> result = starting;
        // The launcher thread only spawns; the bookkeeping runs on the engine thread meanwhile.
        after.add(() -> engine.launcher.submit(this::spawn)
                .whenCompleteAsync((p, err) -> onSpawned(gen, p, err), engine.callbacks));
        return result;
    }

    /** On the launcher thread: build the plan and spawn. */
    private Process spawn() throws Exception {
        ProcessBuilder pb = LaunchPlan.build(spec, id, engine.platform, engine.parentDeathSignal);
        try {
            return pb.start();
        } catch (java.io.IOException e) {
            throw new LaunchPlan.SpawnFailure("cannot run " + pb.command() + ": " + e.getMessage(), e);
        }
    }

    private void onSpawned(long gen, Process p, Throwable err) {
        synchronized (this) {
            if (gen != generation || state != InstanceState.STARTING) {
                // Cannot happen while STARTING only leaves through here; never leak a process if it does.
                LOG.error("spawn result for {}#{} arrived in state {}; killing it", spec.name(), id, state);
                if (p != null) {
                    p.destroyForcibly();
                }
                return;
            }
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                String reason = cause instanceof LaunchPlan.SpawnFailure ? cause.getMessage()
                        : "spawn failed: " + cause;
                failureReason = reason;
                move(new ProcessFailed(engine.now(), spec.name(), id, reason));
                failStart(reason, cause);
                if (stopWhenSpawned) {
                    stopWhenSpawned = false;
                    complete(stopping, StopOutcome.NOT_RUNNING);
                }
            } else {
                attach(p);
                if (stopWhenSpawned) {
                    stopWhenSpawned = false;
                    beginStop();
                } else {
                    move(new ProcessReady(engine.now(), spec.name(), id, p.pid()));
                    complete(starting, null);
                }
                after.add(() -> p.onExit().whenComplete((x, e) -> onExit(gen, p)));
            }
        }
        runAfter();
    }

    /** Takes ownership of a spawned process: identity, reaper registration, output pumps. */
    private void attach(Process p) {
        process = p;
        spawnedAtNanos = engine.ticker.read();
        startedAt = engine.now();
        startTicks = engine.tree.startTicks(p.pid());
        OrphanReaper reaper = engine.reaper();
        if (reaper != null && startTicks >= 0) {
            reaper.register(p.pid(), startTicks);
        }
        if (spec.captureOutput()) {
            String thread = "tspm-" + engine.name + "-" + spec.name() + "-" + id;
            OutputPump.start(thread + "-out", p.getInputStream(), processLogger, false, id, output);
            if (!spec.mergeStderr()) {
                OutputPump.start(thread + "-err", p.getErrorStream(), processLogger, true, id, output);
            }
        }
        engine.publish(new ProcessSpawned(engine.now(), spec.name(), id, p.pid()));
    }

    // ---- exit -------------------------------------------------------------------------------

    private void onExit(long gen, Process p) {
        synchronized (this) {
            if (p != process || gen != generation || state == InstanceState.STOPPING) {
                return; // A stop owns this exit, or a newer process replaced this one.
            }
            boolean wasReady = state == InstanceState.RUNNING;
            ExitStatus status = new ExitStatus(p.exitValue());
            Duration uptime = Duration.ofNanos(Math.max(0, engine.ticker.read() - spawnedAtNanos));
            long ticks = startTicks;
            lastExit = status;
            process = null;
            move(new ProcessExited(engine.now(), spec.name(), id, p.pid(), status, uptime));
            after.add(() -> reapLeftovers(p, ticks));
            if (!wasReady) {
                failStart("exited before it was ready (" + status + ")", null);
            }
            RestartPlanner.Decision d = planner.onExit(status, uptime);
            if (d.giveUp()) {
                failureReason = d.giveUpReason();
                move(new ProcessFailed(engine.now(), spec.name(), id, d.giveUpReason()));
            } else if (d.restart()) {
                move(new RestartScheduled(engine.now(), spec.name(), id, spawns, d.delay()));
                restartTimer = engine.scheduler.schedule(() -> onRestartDue(gen), d.delay());
            }
        }
        runAfter();
    }

    /** Descendants that outlived the child are its orphans: stop them, then forget the session. */
    private void reapLeftovers(Process p, long ticks) {
        engine.tree.reapLeftovers(p, ticks, spec.stopSignal(), spec.stopTimeout())
                .whenComplete((o, e) -> unregister(p.pid()));
    }

    private void unregister(long pid) {
        OrphanReaper reaper = engine.reaper();
        if (reaper != null) {
            reaper.unregister(pid);
        }
    }

    private void onRestartDue(long gen) {
        synchronized (this) {
            if (state != InstanceState.BACKOFF || gen != generation) {
                return;
            }
            restartTimer = null;
            beginStart();
        }
        runAfter();
    }

    // ---- stop -------------------------------------------------------------------------------

    @Override
    public CompletableFuture<StopOutcome> stopAsync() {
        CompletableFuture<StopOutcome> result;
        synchronized (this) {
            switch (state) {
                case STOPPED:
                case FAILED:
                    result = CompletableFuture.completedFuture(StopOutcome.NOT_RUNNING);
                    break;
                case EXITED:
                case BACKOFF:
                    cancelRestartTimer();
                    move(new ProcessStopped(engine.now(), spec.name(), id, StopOutcome.NOT_RUNNING,
                            Optional.empty()));
                    result = CompletableFuture.completedFuture(StopOutcome.NOT_RUNNING);
                    break;
                case STARTING:
                    if (stopping == null || stopping.isDone()) {
                        stopping = new CompletableFuture<>();
                    }
                    if (process == null) {
                        stopWhenSpawned = true; // the spawn is in flight; stop what it brings
                    } else {
                        beginStop();
                    }
                    result = stopping;
                    break;
                case RUNNING:
                    result = beginStop();
                    break;
                case STOPPING:
                    result = stopping;
                    break;
                default:
                    throw new AssertionError(state);
            }
        }
        runAfter();
        return result;
    }

    private CompletableFuture<StopOutcome> beginStop() {
        if (stopping == null || stopping.isDone()) {
            stopping = new CompletableFuture<>();
        }
        Process p = process;
        long ticks = startTicks;
        long gen = generation;
        move(new ProcessStopping(engine.now(), spec.name(), id, p.pid(), spec.stopSignal()));
        failStart("stopped while starting", null);
        CompletableFuture<StopOutcome> result = stopping;
        after.add(() -> engine.tree.stop(p, ticks, spec.stopSignal(), spec.stopTimeout())
                .thenCompose(outcome -> p.onExit().thenApply(x -> outcome))
                .whenComplete((outcome, err) -> onStopped(gen, p, outcome, err)));
        return result;
    }

    private void onStopped(long gen, Process p, StopOutcome outcome, Throwable err) {
        synchronized (this) {
            if (err != null) {
                LOG.error("stopping {}#{} (pid {}) failed", spec.name(), id, p.pid(), err);
                outcome = StopOutcome.KILLED;
            }
            if (state != InstanceState.STOPPING || gen != generation || p != process) {
                return;
            }
            ExitStatus status = p.isAlive() ? null : new ExitStatus(p.exitValue());
            lastExit = status;
            process = null;
            move(new ProcessStopped(engine.now(), spec.name(), id, outcome, Optional.ofNullable(status)));
            complete(stopping, outcome);
            after.add(() -> unregister(p.pid()));
        }
        runAfter();
    }

    @Override
    public CompletableFuture<Void> restartAsync() {
        return stopAsync().thenCompose(o -> startAsync());
    }

    @Override
    public boolean signal(Signal signal) {
        java.util.Objects.requireNonNull(signal, "signal");
        Process p;
        long ticks;
        synchronized (this) {
            p = process;
            ticks = startTicks;
        }
        if (p == null || !p.isAlive()) {
            return false;
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

    private void cancelRestartTimer() {
        if (restartTimer != null) {
            restartTimer.cancel(false);
            restartTimer = null;
        }
    }

    private void failStart(String reason, Throwable cause) {
        if (starting != null && !starting.isDone()) {
            CompletableFuture<Void> f = starting;
            after.add(() -> f.completeExceptionally(
                    new ProcessStartException(spec.name(), id, reason, output.last(200), cause)));
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
