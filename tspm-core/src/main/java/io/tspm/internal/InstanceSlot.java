package io.tspm.internal;

import io.tspm.ExitRecord;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.LineListener;
import io.tspm.OutputLine;
import io.tspm.OutputStats;
import io.tspm.ProcessInstance;
import io.tspm.Signal;
import io.tspm.StopOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The handle a user holds for instance {@code id} of a group. A reload (or a memory limit that
 * reloads) replaces the instance behind it, and the handle follows: it speaks for the replacement,
 * and its line listeners are given to the replacement before it starts. A stop through the handle
 * during a reload stops the replacement being started too. A handle of an instance that was scaled
 * away stays with that retired instance, which refuses to start.
 */
final class InstanceSlot implements ProcessInstance {

    private final ManagedGroup group;
    /** Private, so a user who synchronizes on a handle cannot block a reload's swap. */
    private final Object lock = new Object();
    private volatile ManagedInstance current;
    /** A replacement a reload is starting for the current instance (guarded by lock). */
    private ManagedInstance pending;
    /** The instance the last reload swapped out, maybe still draining (guarded by lock). */
    private ManagedInstance previous;
    /** Listeners added through this handle, carried over to replacements (guarded by lock). */
    private final List<LineListener> listeners = new ArrayList<>();

    InstanceSlot(ManagedGroup group, ManagedInstance first) {
        this.group = group;
        this.current = first;
    }

    /** The instance the slot holds now. */
    ManagedInstance current() {
        return current;
    }

    /**
     * A reload starts {@code replacement}: it gets (before it starts) the listeners added through
     * this handle, and those added or removed until it is swapped in or given up.
     */
    void prepare(ManagedInstance replacement) {
        synchronized (lock) {
            pending = replacement;
            listeners.forEach(replacement::addLineListener);
        }
    }

    /** From now on the handle speaks for {@code replacement}. */
    void replaceWith(ManagedInstance replacement) {
        synchronized (lock) {
            previous = current;
            current = replacement;
            pending = null;
        }
    }

    /** The reload gave up on {@code replacement}. */
    void cancel(ManagedInstance replacement) {
        synchronized (lock) {
            if (pending == replacement) {
                pending = null;
            }
        }
    }

    @Override
    public String processName() {
        return current.processName();
    }

    @Override
    public int id() {
        return current.id();
    }

    @Override
    public InstanceState state() {
        return current.state();
    }

    @Override
    public OptionalInt port() {
        return current.port();
    }

    @Override
    public OptionalLong pid() {
        return current.pid();
    }

    @Override
    public InstanceSnapshot snapshot() {
        return current.snapshot();
    }

    @Override
    public List<ExitRecord> exitHistory() {
        return current.exitHistory();
    }

    @Override
    public List<OutputLine> recentLines(int n) {
        return current.recentLines(n);
    }

    @Override
    public List<String> recentOutput(int n) {
        return current.recentOutput(n);
    }

    @Override
    public void addLineListener(LineListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            listeners.add(listener);
            current.addLineListener(listener);
            if (pending != null) {
                pending.addLineListener(listener);
            }
        }
    }

    @Override
    public void removeLineListener(LineListener listener) {
        synchronized (lock) {
            listeners.remove(listener);
            current.removeLineListener(listener);
            if (pending != null) {
                pending.removeLineListener(listener);
            }
            if (previous != null) {
                previous.removeLineListener(listener); // it may still be draining
            }
        }
    }

    @Override
    public OutputLine awaitLine(Pattern pattern, Duration timeout) {
        return current.awaitLine(pattern, timeout);
    }

    @Override
    public OutputStats outputStats() {
        return current.outputStats();
    }

    @Override
    public CompletableFuture<Void> awaitReadyAsync() {
        return current.awaitReadyAsync();
    }

    @Override
    public CompletableFuture<Void> startAsync() {
        return current.startAsync();
    }

    @Override
    public CompletableFuture<StopOutcome> stopAsync() {
        return group.stopInstance(this);
    }

    @Override
    public CompletableFuture<Void> restartAsync() {
        return current.restartAsync();
    }

    @Override
    public void awaitReady() {
        awaitReady(group.defaultTimeout());
    }

    @Override
    public void awaitReady(Duration timeout) {
        CompletableFuture<Void> ready = awaitReadyAsync();
        try {
            await(ready, timeout, "wait for " + this + " to be ready");
        } finally {
            ready.cancel(false); // a timed-out waiter leaves nothing behind
        }
    }

    @Override
    public void start() {
        start(group.defaultTimeout());
    }

    @Override
    public void start(Duration timeout) {
        await(startAsync(), timeout, "start of " + this);
    }

    @Override
    public StopOutcome stop() {
        return Waits.join(stopAsync());
    }

    @Override
    public void restart() {
        restart(group.defaultTimeout());
    }

    @Override
    public void restart(Duration timeout) {
        await(restartAsync(), timeout, "restart of " + this);
    }

    private void await(CompletableFuture<?> work, Duration timeout, String what) {
        Objects.requireNonNull(timeout, "timeout");
        Waits.await(work, timeout, () -> NotReady.after(what, timeout, List.of(this)));
    }

    @Override
    public void reset(boolean clearExitHistory) {
        current.reset(clearExitHistory);
    }

    @Override
    public boolean signal(Signal signal) {
        return current.signal(signal);
    }

    @Override
    public void eject(java.time.Duration duration, String reason) {
        current.eject(duration, reason);
    }

    @Override
    public boolean isEjected() {
        return current.isEjected();
    }

    @Override
    public String toString() {
        return "instance " + current.processName() + "#" + current.id();
    }
}
