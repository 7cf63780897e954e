package io.tspm.internal;

import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The instances of one spec; group operations fan out to every instance in parallel. */
public final class ManagedGroup implements ProcessGroup {

    private final ProcessSpec spec;
    private final List<ManagedInstance> instances;
    private volatile boolean retired;

    public ManagedGroup(Engine engine, ProcessSpec spec) {
        this.spec = spec;
        List<ManagedInstance> list = new ArrayList<>(spec.instances());
        for (int i = 0; i < spec.instances(); i++) {
            list.add(new ManagedInstance(engine, this, spec, i));
        }
        this.instances = List.copyOf(list);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public List<ProcessInstance> instances() {
        return List.copyOf(instances);
    }

    @Override
    public ProcessInstance instance(int id) {
        if (id < 0 || id >= instances.size()) {
            throw new IndexOutOfBoundsException("process '" + spec.name() + "' has instances 0.."
                    + (instances.size() - 1) + ", but id was " + id);
        }
        return instances.get(id);
    }

    @Override
    public List<InstanceSnapshot> snapshot() {
        List<InstanceSnapshot> out = new ArrayList<>(instances.size());
        instances.forEach(i -> out.add(i.snapshot()));
        return out;
    }

    @Override
    public CompletableFuture<Void> startAsync() {
        return all(ManagedInstance::startAsync);
    }

    @Override
    public CompletableFuture<Void> stopAsync() {
        long requestedAt = System.nanoTime(); // one process-table scan serves every instance
        return all(i -> i.stopAsync(requestedAt));
    }

    /** Refuses every later start (the process is being removed). */
    public void retire() {
        retired = true;
    }

    boolean isRetired() {
        return retired;
    }

    @Override
    public CompletableFuture<Void> restartAsync() {
        return all(ManagedInstance::restartAsync);
    }

    /** ONE_FOR_ALL: restarts every live instance but {@code exceptId}, keeping their crash-loop windows. */
    public CompletableFuture<Void> restartSiblings(int exceptId) {
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        for (ManagedInstance i : instances) {
            if (i.id() != exceptId) {
                restarts.add(i.restartIfActive());
            }
        }
        return CompletableFuture.allOf(restarts.toArray(new CompletableFuture<?>[0]));
    }

    /** REST_FOR_ONE: stops the active instances; the returned stops know how to undo themselves. */
    public List<Object> stopForStrategy(List<CompletableFuture<?>> stopped) {
        List<Object> stops = new ArrayList<>();
        for (ManagedInstance i : instances) {
            ManagedInstance.StrategyStop s = i.stopForStrategy();
            if (s != null) {
                stops.add(s);
                stopped.add(s.stopped());
            }
        }
        return stops;
    }

    /** REST_FOR_ONE: starts again what {@link #stopForStrategy} stopped, unless the user stopped it since. */
    public static CompletableFuture<Void> startForStrategy(List<Object> stops) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Object o : stops) {
            ManagedInstance.StrategyStop s = (ManagedInstance.StrategyStop) o;
            starts.add(s.instance().startForStrategy(s.epoch()));
        }
        return CompletableFuture.allOf(starts.toArray(new CompletableFuture<?>[0]));
    }

    private CompletableFuture<Void> all(Function<ManagedInstance, CompletableFuture<?>> op) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[instances.size()];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = op.apply(instances.get(i));
        }
        return CompletableFuture.allOf(futures);
    }

    @Override
    public String toString() {
        return "ProcessGroup{" + spec.name() + ", instances=" + instances.size() + '}';
    }
}
