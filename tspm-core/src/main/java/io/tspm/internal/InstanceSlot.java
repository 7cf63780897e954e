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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The handle a user holds for instance {@code id} of a group. A reload (or a memory limit that
 * reloads) replaces the instance behind it, and the handle follows: it speaks for the replacement,
 * and its line listeners are given to the replacement before it starts. A stop through the handle
 * during a reload stops the replacement being started too. A handle of an instance that was scaled
 * away stays with that retired instance, which refuses to start.
 */
final class InstanceSlot implements ProcessInstance, ManagedInstanceView {

    private final ManagedGroup group;
    private volatile ManagedInstance current;
    /** Listeners added through this handle, carried over to replacements. */
    private final CopyOnWriteArrayList<LineListener> listeners = new CopyOnWriteArrayList<>();

    InstanceSlot(ManagedGroup group, ManagedInstance first) {
        this.group = group;
        this.current = first;
    }

    /** The instance the slot holds now. */
    ManagedInstance current() {
        return current;
    }

    /** Gives a replacement (before it starts) the listeners added through this handle. */
    void prepare(ManagedInstance replacement) {
        listeners.forEach(replacement::addLineListener);
    }

    /** From now on the handle speaks for {@code replacement}. */
    void replaceWith(ManagedInstance replacement) {
        current = replacement;
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
        listeners.add(Objects.requireNonNull(listener, "listener"));
        current.addLineListener(listener);
    }

    @Override
    public void removeLineListener(LineListener listener) {
        listeners.remove(listener);
        current.removeLineListener(listener);
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
        ManagedInstance now = current;
        CompletableFuture<StopOutcome> stop = now.stopAsync();
        // A reload may be starting a replacement for it: that must not take over, so it stops too.
        return group.stopReplacementOf(now).thenCompose(x -> stop);
    }

    @Override
    public CompletableFuture<Void> restartAsync() {
        return current.restartAsync();
    }

    @Override
    public boolean signal(Signal signal) {
        return current.signal(signal);
    }

    @Override
    public Optional<String> lastProbeResult() {
        return current.lastProbeResult();
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
