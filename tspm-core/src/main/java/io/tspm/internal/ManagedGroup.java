package io.tspm.internal;

import io.tspm.Human;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.LineListener;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.StopOutcome;
import io.tspm.TspmException;
import io.tspm.event.InstanceReplaced;
import io.tspm.event.ReloadFailed;
import io.tspm.event.Scaled;
import io.tspm.spi.ProxyFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The instances of one spec; group operations fan out to every instance in parallel. */
final class ManagedGroup implements ProcessGroup {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedGroup.class);

    private static final int MAX_INSTANCES = 10_000;

    private final Engine engine;
    /** The spec as it runs now: scaling changes its instance count (replaced whole, under lock). */
    private volatile ProcessSpec spec;
    /** The endpoints view this group publishes and the picker over it. */
    private final GroupEndpoints endpoints;
    /** Private: users hold this group as their ProcessGroup, and must not be able to block it. */
    private final Object lock = new Object();
    /** Replaced whole on scale and reload (under this), so readers iterate a stable list without locking. */
    private volatile List<ManagedInstance> instances;
    /** The handles users get, one per id, replaced together with {@link #instances}. */
    private volatile List<InstanceSlot> slots;
    /**
     * What a replacement a reload started replaces, that instance's user stops and the group's stops
     * when it was started: if either moved by the swap, the replacement is given up.
     */
    private record Pending(ManagedInstance old, long userStops, long epoch) {
    }

    /**
     * Replacements a reload has started and not yet swapped in (guarded by this): a stop of the
     * group, or of the instance one replaces, stops them too, and a stop of the old instance
     * meanwhile (its user stops moved) cancels the swap.
     */
    private final Map<ManagedInstance, Pending> replacements = new HashMap<>();
    /**
     * Instances a reload let go (old ones swapped out, replacements given up) until they have
     * stopped, so a group stop reaches and waits for them (guarded by this).
     */
    private final Set<ManagedInstance> stopping = new HashSet<>();
    /** The drain of each swapped-out instance still draining; a group stop ends it early (guarded by this). */
    private final Map<ManagedInstance, CompletableFuture<Void>> drains = new HashMap<>();
    /** Counts the group's stops: a reload started before one gives up. */
    private long groupStops;
    private volatile boolean retired;
    /** Whether the group is meant to run (started, not stopped): scaling up starts new instances then. */
    private volatile boolean shouldRun;
    /** Group-level line listeners, given to instances added by scaling too. */
    private final CopyOnWriteArrayList<LineListener> lineListeners =
            new CopyOnWriteArrayList<>();
    /** Retired instances still stopping, by id: a new instance with that id starts after them. */
    private final Map<Integer, CompletableFuture<?>> retiring = new HashMap<>();
    private Future<?> cronTimer;

    public ManagedGroup(Engine engine, ProcessSpec spec) {
        this.engine = engine;
        this.spec = spec;
        this.endpoints = new GroupEndpoints(spec.name(), spec.traffic(), () -> instances);
        List<ManagedInstance> list = new ArrayList<>(spec.instances());
        for (int i = 0; i < spec.instances(); i++) {
            list.add(new ManagedInstance(engine, this, spec, i, firstPort(spec, i)));
        }
        this.instances = List.copyOf(list);
        this.slots = list.stream().map(i -> new InstanceSlot(this, i)).toList();
        if (engine.spawner.ignoredInChildren().contains(spec.stopSignal())) {
            LOG.warn("process '{}': its stop signal SIG{} is ignored by this JVM (it was started ignoring it, as a"
                    + " background job of a non-interactive shell is for INT and QUIT, or nohup for HUP), and a child"
                    + " spawned through the JDK inherits that: it can neither receive nor trap it, so each stop waits"
                    + " the stop timeout ({}) and then kills. Start the JVM with SIG{} at its default, or let it take"
                    + " the native launch path, which resets every signal in the child", spec.name(),
                    spec.stopSignal().shortName(), Human.duration(spec.stopTimeout()), spec.stopSignal().shortName());
        }
        if (spec.maxMemory().isPresent() && !engine.platform.hasProc()) {
            LOG.warn("process '{}': maxMemory is not enforced on this machine, which has no /proc to read memory from",
                    spec.name());
        }
        armTimers(spec);
    }

    /** Sets up the cron restarts and the watch of {@code spec}; a watch that cannot be set up throws, leaving neither. */
    private void armTimers(ProcessSpec spec) {
        spec.cronRestart().ifPresent(c -> scheduleCron());
        if (!spec.watchPaths().isEmpty()) {
            Path base = spec.workingDirectory().orElse(Path.of("")).toAbsolutePath();
            List<Path> roots = new ArrayList<>();
            spec.watchPaths().forEach(p -> roots.add(base.resolve(p)));
            try {
                watch = engine.watcher.watch(spec.name(), roots, spec.watchIgnore(), spec.watchDebounce(),
                        this::restartActive);
            } catch (IOException e) {
                disarmTimers(); // nothing else would stop the timer
                throw new UncheckedIOException("cannot watch " + roots + " for process '" + spec.name() + "'",
                        e);
            }
        }
    }

    private void disarmTimers() {
        FileWatcher.Watch w;
        synchronized (lock) {
            if (cronTimer != null) {
                cronTimer.cancel(false);
                cronTimer = null;
            }
            cronDue = null;
            w = watch;
            watch = null;
        }
        if (w != null) {
            w.cancel();
        }
    }

    // ---- apply: a new spec for a running group ----------------------------------------------

    /** Takes a spec that differs only in what no process needs (labels, namespace, autostart, dependencies). */
    void update(ProcessSpec now) {
        ProcessSpec old;
        synchronized (lock) {
            old = spec;
            this.spec = now;
        }
        retraffic(old, now);
    }

    /** Takes the new strategy, weights and panic threshold, and moves the proxy when its port changed. */
    private void retraffic(ProcessSpec old, ProcessSpec now) {
        if (old.traffic().equals(now.traffic())) {
            return;
        }
        endpoints.configure(now.traffic());
        endpointsChanged();
        if (!old.proxyPort().equals(now.proxyPort())) {
            closeProxy();
            openProxy(now);
        }
    }

    /**
     * Brings the group to a spec its processes need: running instances are replaced by a rolling
     * reload with the new spec, resting ones take it at once, others are restarted with it; then
     * the group scales to the new count. The cron and the watch are set up again when they changed.
     */
    CompletableFuture<Void> reloadWith(ProcessSpec now) {
        ProcessSpec old;
        Reload run;
        synchronized (lock) {
            if (retired) {
                throw new IllegalStateException("process '" + now.name() + "' was removed");
            }
            if (reload != null) {
                throw new IllegalStateException("process '" + now.name() + "' is already reloading");
            }
            old = spec;
            spec = scaledSpec(now, instances.size()); // the count changes by scaling, after the reload
            run = new Reload(engine, this, spec, groupStops);
            reload = run;
        }
        if (!old.cronRestart().equals(now.cronRestart()) || !old.watch().equals(now.watch())) {
            disarmTimers();
            armTimers(now);
        }
        retraffic(old, now);
        List<ManagedInstance> before = instances;
        List<CompletableFuture<?>> restarts = new ArrayList<>();
        for (ManagedInstance i : before) {
            InstanceState st = i.state();
            if (st == InstanceState.STOPPED || st == InstanceState.EXITED || st == InstanceState.FAILED) {
                replaceInPlace(i, false); // nothing runs: it simply takes the new spec
            }
        }
        return run.all(before.size()).handle((x, e) -> e).thenCompose(error -> {
            ended(run);
            // Whatever the reload did not replace (it was starting or backing off) restarts with the new spec.
            for (ManagedInstance i : instances) {
                if (!i.spec().equals(spec) && i.state().isActive()) {
                    restarts.add(replaceInPlace(i, true));
                }
            }
            CompletableFuture<Void> rest = Completion.allOrFirstFailure(restarts);
            return error == null ? rest : rest.handle((y, e2) -> {
                throw error instanceof CompletionException ? (CompletionException) error : new CompletionException(error);
            });
        }).thenCompose(x -> scaleAsync(now.instances()));
    }

    /**
     * Puts a new-spec instance in {@code old}'s place (same id, its history kept): a resting one at
     * once; an active one ({@code restart}) after it stopped, then starts the new one.
     */
    private CompletableFuture<Void> replaceInPlace(ManagedInstance old, boolean restart) {
        CompletableFuture<?> stopped = restart ? old.stopAsync(System.nanoTime(), "the apply of a new spec")
                : CompletableFuture.completedFuture(null);
        return stopped.thenCompose(x -> {
            ManagedInstance fresh;
            synchronized (lock) {
                int id = old.id();
                if (id >= instances.size() || instances.get(id) != old) {
                    return CompletableFuture.<Void>completedFuture(null); // replaced or scaled away meanwhile
                }
                fresh = new ManagedInstance(engine, this, spec, id, freePort(spec, id, List.of()), old);
                lineListeners.forEach(fresh::addLineListener);
                InstanceSlot handle = slots.get(id);
                handle.prepare(fresh);
                List<ManagedInstance> now = new ArrayList<>(instances);
                now.set(id, fresh);
                instances = List.copyOf(now);
                handle.replaceWith(fresh);
                old.retire();
            }
            return restart ? fresh.startAsync() : CompletableFuture.<Void>completedFuture(null);
        });
    }

    private FileWatcher.Watch watch;

    // ---- traffic: the proxy and drains ---------------------------------------------------------

    /** The proxy in front of the group, null without a proxyPort (guarded by lock). */
    private AutoCloseable proxy;

    /**
     * Opens the proxy {@code spec} asks for, through the {@link ProxyFactory} on the class path;
     * throws naming the port and the process when it cannot.
     */
    void openProxy(ProcessSpec spec) {
        if (spec.proxyPort().isEmpty()) {
            return;
        }
        int port = spec.proxyPort().getAsInt();
        ProxyFactory factory = ServiceLoader.load(ProxyFactory.class).findFirst()
                .or(() -> ServiceLoader.load(ProxyFactory.class, ProxyFactory.class.getClassLoader()).findFirst())
                .orElseThrow(() -> new IllegalStateException("process '" + spec.name() + "': proxyPort " + port
                        + " needs a proxy on the class path: add the io.tspm:tspm-loadbalancer dependency"));
        AutoCloseable opened;
        try {
            opened = factory.open(this, port);
        } catch (IOException e) {
            throw new UncheckedIOException("process '" + spec.name() + "': cannot open its proxy on port " + port
                    + ": " + e.getMessage(), e);
        }
        endpoints.track(); // from now on a drain ends when the last proxied connection closes
        synchronized (lock) {
            proxy = opened;
        }
    }

    /** Closes the proxy, if any: no new connection, the open ones closed. */
    void closeProxy() {
        AutoCloseable p;
        synchronized (lock) {
            p = proxy;
            proxy = null;
        }
        if (p != null) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.warn("process '{}': closing its proxy failed", spec.name(), e);
            }
        }
    }

    /**
     * Lets an instance on its way out finish its in-flight work first: it takes no new traffic
     * from now on, and the returned future completes when its last lease closed or the drain time
     * ended. At once when nothing tracks its traffic or nothing is in flight. A group stop ends it early.
     */
    private CompletableFuture<Void> drainFirst(ManagedInstance i) {
        if (!endpoints.tracked() || i.traffic.inFlight.get() == 0 || engine.isClosing()
                || spec.reloadDrain().isZero()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        synchronized (lock) {
            drains.put(i, drained);
        }
        i.traffic.startDraining();
        endDrainIfIdle(i);
        if (engine.schedule(() -> drained.complete(null), spec.reloadDrain()).isCancelled()) {
            drained.complete(null);
        }
        return drained.whenComplete((x, e) -> {
            synchronized (lock) {
                drains.remove(i, drained);
            }
        });
    }

    /** Ends the drain of {@code instance} now when traffic is tracked and nothing is in flight on it. */
    void endDrainIfIdle(ManagedInstance instance) {
        if (!endpoints.tracked() || instance.traffic.inFlight.get() != 0) {
            return;
        }
        CompletableFuture<Void> d;
        synchronized (lock) {
            d = drains.get(instance);
        }
        if (d != null) {
            d.complete(null);
        }
    }

    /** Restarts the instances that run (stopped ones stay stopped): cron and watch restarts. */
    private void restartActive() {
        if (retired || engine.isClosing()) {
            return;
        }
        for (ManagedInstance i : instances) {
            CompletableFuture<Void> restart = i.restartIfActive();
            if (restart != null) {
                restart.exceptionally(e -> null);
            }
        }
    }

    /** The cron time last armed; the next is computed after it, so an early timer never fires twice. */
    private ZonedDateTime cronDue;

    /** Arms the next cron restart, by the supervisor's clock in the JVM's zone. */
    private void scheduleCron() {
        synchronized (lock) {
            ZonedDateTime now = ZonedDateTime.ofInstant(engine.now(), ZoneId.systemDefault());
            ZonedDateTime from = cronDue != null && cronDue.isAfter(now) ? cronDue : now;
            if (spec.cronRestart().isEmpty()) {
                return; // an apply took the cron away
            }
            cronDue = spec.cronRestart().get().next(from);
            if (!retired) {
                cronTimer = engine.schedule(this::cronFired, Duration.between(now, cronDue));
            }
        }
    }

    private void cronFired() {
        if (retired || engine.isClosing()) {
            return;
        }
        if (spec.cronRestart().isEmpty()) {
            return;
        }
        LOG.info("cron restart of '{}' ({})", spec.name(), spec.cronRestart().get());
        restartActive();
        scheduleCron();
    }

    /**
     * Scales to {@code n} instances. Up: new instances take the next ids (and ports) and start.
     * Down: the highest ids are retired (they refuse to start again) and stopped with the normal
     * stop sequence, so ids stay dense 0..n-1. Completes when the new ones run and the old ones
     * have stopped.
     */
    @Override
    public CompletableFuture<Void> scaleAsync(int n) {
        if (n < 0 || n > MAX_INSTANCES) {
            throw new IllegalArgumentException("instances must be in 0.." + MAX_INSTANCES + ", but was " + n);
        }
        ProcessSpec spec = this.spec;
        if (spec.basePort().isPresent() && n > 0 && spec.basePort().getAsInt() + n - 1 > 65535) {
            throw new IllegalArgumentException("process '" + spec.name() + "': basePort " + spec.basePort().getAsInt()
                    + " + instances " + n + " runs past port 65535");
        }
        if (spec.basePort().isPresent() && n > spec.instances()) {
            try {
                engine.scaleCheck.accept(scaledSpec(spec, n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot scale process '" + spec.name() + "' to " + n + " instances: "
                        + e.getMessage(), e);
            }
        }
        List<CompletableFuture<?>> work = new ArrayList<>();
        // Stops and starts begin after the lock is released: they complete futures (callbacks).
        List<Runnable> begin = new ArrayList<>();
        int from;
        synchronized (lock) {
            if (retired) {
                throw new IllegalStateException("process '" + spec.name() + "' was removed");
            }
            if (reload != null) {
                throw new IllegalStateException("process '" + spec.name() + "' cannot scale while it reloads");
            }
            ProcessSpec scaled = scaledSpec(this.spec, n);
            List<ManagedInstance> now = new ArrayList<>(instances);
            List<InstanceSlot> handles = new ArrayList<>(slots);
            from = now.size();
            while (now.size() > n) {
                handles.remove(handles.size() - 1);
                ManagedInstance last = now.remove(now.size() - 1);
                last.retire();
                CompletableFuture<Object> stopped = new CompletableFuture<>();
                retiring.put(last.id(), stopped);
                String by = "scaling process '" + spec.name() + "' to " + n + " instances";
                begin.add(() -> drainFirst(last).thenCompose(d -> last.stopAsync(System.nanoTime(), by))
                        .whenComplete((x, e) -> {
                    synchronized (lock) {
                        retiring.remove(last.id(), stopped);
                    }
                    stopped.complete(null);
                }));
                work.add(stopped);
            }
            for (int i = from; i < n; i++) {
                ManagedInstance inst = new ManagedInstance(engine, this, scaled, i, freePort(scaled, i, now));
                lineListeners.forEach(inst::addLineListener);
                now.add(inst);
                handles.add(new InstanceSlot(this, inst));
                if (shouldRun) {
                    // The same id (and port, and log files) must not run twice: wait for its predecessor.
                    CompletableFuture<?> before = retiring.getOrDefault(i, CompletableFuture.completedFuture(null));
                    CompletableFuture<Void> started = new CompletableFuture<>();
                    begin.add(() -> before.handle((x, e) -> null).thenCompose(x -> inst.startAsync())
                            .whenComplete((x, e) -> {
                                if (e != null) {
                                    started.completeExceptionally(e);
                                } else {
                                    started.complete(null);
                                }
                            }));
                    work.add(started);
                }
            }
            instances = List.copyOf(now);
            slots = List.copyOf(handles);
            this.spec = scaled;
        }
        begin.forEach(Runnable::run);
        endpointsChanged();
        if (from != n) {
            engine.publish(new Scaled(engine.now(), spec.name(), from, n));
        }
        return CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * The spec with {@code n} instances. The reload port span follows the instance count when it
     * grows past it: ports are chosen free ({@link #freePort}), so a larger span never collides
     * with an instance that still holds a port of the old one.
     */
    private static ProcessSpec scaledSpec(ProcessSpec spec, int n) {
        if (spec.instances() == n) {
            return spec;
        }
        ProcessSpec.Builder b = spec.toBuilder().instances(n); // a span not set follows the count by itself
        if (spec.instanceSettings().reloadPortSpanSet() && spec.reloadPortSpan() < n) {
            b.reloadPortSpan(n);
        }
        return b.build();
    }

    /** Instance {@code id}'s first port: {@code basePort + id}, a free one, or empty without either. */
    private static OptionalInt firstPort(ProcessSpec spec, int id) {
        if (spec.freePorts()) {
            return OptionalInt.of(FreePorts.allocate(spec.name(), id));
        }
        return spec.basePort().isPresent() ? OptionalInt.of(spec.basePort().getAsInt() + id) : OptionalInt.empty();
    }

    /**
     * The port a freePorts instance spawns with: {@code current} while it can still be listened
     * on (it keeps its port across restarts), else a new free one, {@code current} given back.
     */
    OptionalInt portForSpawn(ProcessSpec spec, int id, OptionalInt current) {
        if (current.isPresent() && FreePorts.stillFree(current.getAsInt())) {
            return current;
        }
        int next = FreePorts.allocate(spec.name(), id);
        if (current.isPresent()) {
            FreePorts.release(current.getAsInt());
            LOG.info("process '{}' instance {}: port {} was taken since it was chosen; the instance gets port {}",
                    spec.name(), id, current.getAsInt(), next);
        }
        return OptionalInt.of(next);
    }

    /** Gives back the free ports its instances hold: the group was removed or its supervisor closed. */
    public void releasePorts() {
        if (!spec.freePorts()) {
            return;
        }
        synchronized (lock) {
            java.util.function.Consumer<ManagedInstance> free = i -> i.port().ifPresent(FreePorts::release);
            instances.forEach(free);
            replacements.keySet().forEach(free);
            stopping.forEach(free);
        }
    }

    /**
     * A port for a new process of slot {@code id}: the first of its two ({@code basePort + id},
     * {@code basePort + reloadPortSpan + id}) that no live instance of the group holds (guarded by
     * lock). A reload's replacement so gets the one its predecessor does not hold.
     */
    OptionalInt freePort(ProcessSpec spec, int id, List<ManagedInstance> alsoLive) {
        if (spec.freePorts()) {
            return firstPort(spec, id); // a new free port: a replacement beside its predecessor needs one of its own
        }
        if (spec.basePort().isEmpty()) {
            return OptionalInt.empty();
        }
        Set<Integer> taken = new HashSet<>();
        java.util.function.Consumer<ManagedInstance> hold = i -> i.port().ifPresent(taken::add);
        instances.forEach(hold);
        alsoLive.forEach(hold);
        replacements.keySet().forEach(hold);
        stopping.forEach(hold);
        int base = spec.basePort().getAsInt();
        for (int port : new int[] {base + id, base + spec.reloadPortSpan() + id}) {
            if (!taken.contains(port)) {
                return OptionalInt.of(port);
            }
        }
        throw new IllegalStateException("process '" + spec.name() + "': both ports of instance " + id + " ("
                + (base + id) + ", " + (base + spec.reloadPortSpan() + id) + ") are held by other instances");
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
        return List.copyOf(slots);
    }

    @Override
    public ProcessInstance instance(int id) {
        List<InstanceSlot> now = slots;
        if (id < 0 || id >= now.size()) {
            throw new IndexOutOfBoundsException("process '" + spec.name() + "' has instances 0.."
                    + (now.size() - 1) + ", but id was " + id);
        }
        return now.get(id);
    }

    @Override
    public List<InstanceSnapshot> snapshot() {
        List<ManagedInstance> now = instances;
        List<InstanceSnapshot> out = new ArrayList<>(now.size());
        now.forEach(i -> out.add(i.snapshot()));
        return out;
    }

    /** Who may take traffic may have changed: rebuild the view (call outside every instance lock). */
    void endpointsChanged() {
        endpoints.changed();
    }

    @Override
    public io.tspm.spi.Endpoints endpoints() {
        return endpoints.view();
    }

    @Override
    public java.util.Optional<io.tspm.Lease> pick(io.tspm.spi.PickContext context) {
        Objects.requireNonNull(context, "context");
        return java.util.Optional.ofNullable(endpoints.pick(context));
    }

    @Override
    public void addEndpointsListener(java.util.function.Consumer<io.tspm.spi.Endpoints> listener) {
        endpoints.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeEndpointsListener(java.util.function.Consumer<io.tspm.spi.Endpoints> listener) {
        endpoints.removeListener(listener);
    }

    /** This group at one moment, for the supervisor's snapshot. */
    public io.tspm.GroupSnapshot groupSnapshot() {
        ProcessSpec now = spec();
        return new io.tspm.GroupSnapshot(now.name(), now.namespace(), now.labels(), now, snapshot());
    }

        /** Fails as soon as one instance fails to start (the others go on starting). */
    @Override
    public CompletableFuture<Void> startAsync() {
        List<ManagedInstance> now;
        synchronized (lock) { // with scaling: an instance it adds either is in this list or sees shouldRun
            shouldRun = true;
            now = instances;
        }
        List<CompletableFuture<?>> starts = new ArrayList<>();
        for (ManagedInstance i : now) {
            if (!i.completed()) { // a one-shot that completed is not run again by a group start (restart runs it)
                starts.add(i.startAsync());
            }
        }
        return Completion.allOrFirstFailure(starts);
    }

    /**
     * Completes when every instance has been spawned (it has a process, runs, or completed as a
     * one-shot): what a STARTED dependency waits for. Call after starting the group.
     */
    CompletableFuture<Void> startedAsync() {
        List<CompletableFuture<?>> each = new ArrayList<>();
        instances.forEach(i -> each.add(i.spawnedAsync()));
        return Completion.allOrFirstFailure(each);
    }

    @Override
    public CompletableFuture<Void> stopAsync() {
        return stopAsync("a stop of process '" + spec.name() + "'");
    }

    /** @param by the request, in words, for the starts it cancels */
    public CompletableFuture<Void> stopAsync(String by) {
        long requestedAt = System.nanoTime(); // one process-table scan serves every instance
        List<ManagedInstance> all;
        List<CompletableFuture<Void>> drainsCut;
        synchronized (lock) { // a consistent view: a replacement is either pending, swapped in or let go
            shouldRun = false;
            groupStops++;
            all = new ArrayList<>(instances);
            for (ManagedInstance fresh : replacements.keySet()) {
                fresh.retire(); // a reload's replacement must not take over from a stopped instance
                all.add(fresh);
            }
            all.addAll(stopping);
            drainsCut = new ArrayList<>(drains.values()); // no need to wait for the end of their drain
        }
        drainsCut.forEach(d -> d.complete(null));
        CompletableFuture<?>[] stops = new CompletableFuture<?>[all.size()];
        for (int i = 0; i < stops.length; i++) {
            ManagedInstance inst = all.get(i);
            CompletableFuture<Void> drained = drainFirst(inst); // its open connections first
            stops[i] = drained.isDone() ? inst.stopAsync(requestedAt, by)
                    : drained.thenCompose(d -> inst.stopAsync(System.nanoTime(), by));
        }
        return CompletableFuture.allOf(stops);
    }

    /**
     * Stops the instances that run or are on their way to run, and leaves resting ones (EXITED,
     * FAILED) as they are, so they still tell what happened: the clean-up after a failed start.
     */
    public CompletableFuture<Void> stopActiveAsync(String by) {
        List<ManagedInstance> now;
        synchronized (lock) {
            shouldRun = false;
            now = instances;
        }
        long requestedAt = System.nanoTime();
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (ManagedInstance i : now) {
            if (i.state().isActive()) {
                stops.add(i.stopAsync(requestedAt, by));
            }
        }
        return CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * A stop through an instance's handle: the instance, a replacement a reload is starting for it,
     * and an instance of that id still draining after a swap (its drain ends now). If a reload
     * swapped in a replacement just before, that one is stopped too. Completes when all have
     * stopped, with the outcome of the one the handle speaks for.
     */
    CompletableFuture<StopOutcome> stopInstance(InstanceSlot handle) {
        ManagedInstance now = handle.current();
        List<CompletableFuture<?>> all = new ArrayList<>();
        CompletableFuture<StopOutcome> outcome = now.stopAsync();
        all.add(outcome);
        // From here on no replacement for it can start or swap in (its user stops moved); read
        // under the lock, as the swap is, to see one that came just before.
        ManagedInstance swappedIn;
        List<ManagedInstance> others = new ArrayList<>();
        List<CompletableFuture<Void>> drainsCut = new ArrayList<>();
        synchronized (lock) {
            swappedIn = handle.current();
            replacements.forEach((fresh, p) -> {
                if (p.old() == now) {
                    fresh.retire();
                    others.add(fresh);
                }
            });
            drains.forEach((old, drain) -> {
                if (old.id() == now.id() && old != now) {
                    drainsCut.add(drain);
                    others.add(old);
                }
            });
        }
        if (swappedIn != now) {
            outcome = swappedIn.stopAsync();
            all.add(outcome);
        }
        drainsCut.forEach(d -> d.complete(null));
        others.forEach(i -> all.add(i.stopAsync()));
        CompletableFuture<StopOutcome> result = outcome;
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenCompose(x -> result);
    }

    /** The reload under way, if any (guarded by lock): one at a time. */
    private Reload reload;

    @Override
    public CompletableFuture<Void> rollingRestartAsync() {
        List<ManagedInstance> now = instances;
        int batch = spec.reloadBatch();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < now.size(); from += batch) {
            List<ManagedInstance> part = now.subList(from, Math.min(now.size(), from + batch));
            chain = chain.thenCompose(x -> {
                List<CompletableFuture<?>> restarts = new ArrayList<>();
                for (ManagedInstance i : part) {
                    // Decided under the instance's lock: a user's stop that came first is kept.
                    CompletableFuture<Void> restart = i.restartIfActive();
                    if (restart != null) {
                        restarts.add(restart.thenCompose(y -> i.awaitReadyAsync()));
                    }
                }
                return Completion.allOrFirstFailure(restarts);
            });
        }
        return chain;
    }

    @Override
    public CompletableFuture<Void> reloadAsync() {
        Reload run;
        synchronized (lock) {
            if (retired) {
                throw new IllegalStateException("process '" + spec.name() + "' was removed");
            }
            if (reload != null) {
                throw new IllegalStateException("process '" + spec.name() + "' is already reloading");
            }
            if (spec.basePort().isPresent()
                    && spec.basePort().getAsInt() + spec.reloadPortSpan() + instances.size() - 1 > 65535) {
                throw new IllegalStateException("process '" + spec.name() + "': a reload needs ports up to basePort + "
                        + "reloadPortSpan + instances - 1, past 65535");
            }
            run = new Reload(engine, this, spec, groupStops);
            reload = run;
        }
        return run.all(instances.size()).whenComplete((x, e) -> ended(run));
    }

    /** Replaces one instance (the memory limit asked); skipped while another reload runs. */
    void reloadInstance(ManagedInstance old) {
        Reload run;
        synchronized (lock) {
            if (reload != null || retired || !instances.contains(old)) {
                old.reloadFailed();
                return;
            }
            run = new Reload(engine, this, spec, groupStops);
            reload = run;
        }
        run.slots(old.id(), old.id() + 1).whenComplete((x, e) -> {
            ended(run);
            if (!old.isRetired()) { // not replaced (it failed, or it was no longer running): judge it again
                old.reloadFailed();
            }
        });
    }

    private void ended(Reload run) {
        synchronized (lock) {
            if (reload == run) {
                reload = null;
            }
        }
    }

    /** A replacement a reload prepared: the instance it replaces, the slot's handle, the replacement. */
    record Replacement(ManagedInstance old, InstanceSlot handle, ManagedInstance fresh) {
    }

    /**
     * Sets up the replacement of instance {@code id} with {@code newSpec} (not started): null when
     * the slot does not run and is left alone; throws when the group was stopped since
     * {@code epoch}, or the id is gone (scaled away), as {@link IndexOutOfBoundsException}.
     */
    Replacement prepareReplacement(int id, long epoch, ProcessSpec newSpec) {
        synchronized (lock) {
            if (groupStops != epoch) { // the group was stopped: no more replacements
                throw new TspmException("reload of process '" + spec.name() + "' ended at instance " + id
                        + ": the process was stopped during the reload");
            }
            if (id >= instances.size()) {
                throw new IndexOutOfBoundsException(id);
            }
            ManagedInstance old = instances.get(id);
            InstanceSlot handle = slots.get(id);
            long userStops = old.userStops(); // before the state: a stop in between shows in the state
            if (old.state() != InstanceState.RUNNING) {
                return null; // a stopped (or failing) instance is not reloaded
            }
            ManagedInstance fresh = new ManagedInstance(engine, this, newSpec, id, freePort(newSpec, id, List.of()),
                    old);
            lineListeners.forEach(fresh::addLineListener);
            handle.prepare(fresh);
            replacements.put(fresh, new Pending(old, userStops, epoch));
            return new Replacement(old, handle, fresh);
        }
    }

    /**
     * Puts a replacement that got ready in the old one's place; the reason it may not (it failed,
     * exited, or the old one or the group was stopped meanwhile), or null once it has. Either way
     * the one that goes on to be stopped is tracked until it has, so a group stop reaches it.
     */
    String swap(int slot, Replacement r, Throwable error) {
        String reason;
        synchronized (lock) {
            reason = swapLocked(slot, r.old(), r.fresh(), r.handle(), error);
        }
        if (reason == null) {
            endpointsChanged(); // the replacement takes traffic, the old one none from now on
        }
        return reason;
    }

    private String swapLocked(int slot, ManagedInstance old, ManagedInstance fresh, InstanceSlot handle,
            Throwable error) {
        Pending pending = replacements.remove(fresh);
        String reason = null;
        OptionalLong newPid = OptionalLong.empty();
        if (pending == null || fresh.isRetired() || old.userStops() != pending.userStops()
                || groupStops != pending.epoch() || instances.indexOf(old) != slot) {
            reason = "instance " + slot + " was stopped during the reload; its replacement was stopped too";
        } else if (error != null) {
            reason = replacementFailure(error);
        } else {
            newPid = fresh.runningPid();
            if (newPid.isEmpty()) {
                reason = "the replacement exited before it could take over; the old instance keeps serving";
            }
        }
        if (reason != null) {
            fresh.retire();
            handle.cancel(fresh);
            stopping.add(fresh);
            return reason;
        }
        List<ManagedInstance> now = new ArrayList<>(instances);
        now.set(slot, fresh);
        instances = List.copyOf(now);
        handle.replaceWith(fresh);
        old.retire();
        stopping.add(old);
        drains.put(old, new CompletableFuture<>());
        engine.publish(new InstanceReplaced(engine.now(), spec.name(), slot, old.runningPid(),
                newPid.getAsLong()));
        return null;
    }

    private String replacementFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String why = cause instanceof TimeoutException
                ? "the replacement was not ready within " + Human.duration(spec.reloadTimeout())
                : "the replacement failed: " + cause;
        return why + "; the old instance keeps serving";
    }

    /** The drain of a swapped-out instance: completed early by a stop of the group or of its slot. */
    CompletableFuture<Void> drainOf(ManagedInstance old) {
        synchronized (lock) {
            return drains.getOrDefault(old, CompletableFuture.completedFuture(null));
        }
    }

    /** Stops an instance the reload let go, and forgets it once it has stopped. */
    CompletableFuture<StopOutcome> stopTracked(ManagedInstance instance) {
        return instance.stopAsync().whenComplete((o, e) -> {
            synchronized (lock) {
                stopping.remove(instance);
                drains.remove(instance);
            }
        });
    }

    /** Refuses every later start (the process is being removed), and stops its cron timer and watch. */
    public void retire() {
        synchronized (lock) {
            retired = true;
        }
        disarmTimers();
        releasePorts();
    }

    @Override
    public void addLineListener(LineListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            lineListeners.add(listener);
            instances.forEach(i -> i.addLineListener(listener));
            replacements.keySet().forEach(i -> i.addLineListener(listener));
        }
    }

    @Override
    public void removeLineListener(LineListener listener) {
        synchronized (lock) {
            lineListeners.remove(listener);
            instances.forEach(i -> i.removeLineListener(listener));
            replacements.keySet().forEach(i -> i.removeLineListener(listener));
            stopping.forEach(i -> i.removeLineListener(listener));
        }
    }

    boolean isRetired() {
        return retired;
    }

    /** Whether {@code instance} holds its id now (not a reload's pending replacement, nor one let go). */
    boolean isMember(ManagedInstance instance) {
        return instances.contains(instance);
    }

    @Override
    public CompletableFuture<Void> restartAsync() {
        shouldRun = true;
        return all(ManagedInstance::restartAsync);
    }

    /** ONE_FOR_ALL: restarts every live instance but {@code exceptId}, keeping their crash-loop windows. */
    public CompletableFuture<Void> restartSiblings(int exceptId) {
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        for (ManagedInstance i : instances) {
            if (i.id() != exceptId) {
                CompletableFuture<Void> restart = i.restartIfActive();
                if (restart != null) {
                    restarts.add(restart);
                }
            }
        }
        return CompletableFuture.allOf(restarts.toArray(new CompletableFuture<?>[0]));
    }

    /** REST_FOR_ONE: stops the active instances; the returned stops know how to undo themselves. */
    List<ManagedInstance.StrategyStop> stopForStrategy() {
        List<ManagedInstance.StrategyStop> stops = new ArrayList<>();
        for (ManagedInstance i : instances) {
            ManagedInstance.StrategyStop s = i.stopForStrategy();
            if (s != null) {
                stops.add(s);
            }
        }
        return stops;
    }

    /** REST_FOR_ONE: starts again what {@link #stopForStrategy} stopped, unless the user stopped it since. */
    static CompletableFuture<Void> startForStrategy(List<ManagedInstance.StrategyStop> stops) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (ManagedInstance.StrategyStop s : stops) {
            starts.add(s.instance().startForStrategy(s.epoch()));
        }
        return CompletableFuture.allOf(starts.toArray(new CompletableFuture<?>[0]));
    }

    private CompletableFuture<Void> all(Function<ManagedInstance, CompletableFuture<?>> op) {
        List<ManagedInstance> now = instances;
        CompletableFuture<?>[] futures = new CompletableFuture<?>[now.size()];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = op.apply(now.get(i));
        }
        return CompletableFuture.allOf(futures);
    }

    // ---- the blocking API: bounded, failures thrown on the caller's thread ------------------

    @Override
    public void start() {
        start(engine.startTimeout);
    }

    @Override
    public void start(Duration timeout) {
        await(startAsync(), timeout, "start of process '" + spec.name() + "'");
    }

    @Override
    public void stop() {
        Waits.join(stopAsync());
    }

    @Override
    public void restart() {
        restart(engine.startTimeout);
    }

    @Override
    public void restart(Duration timeout) {
        await(restartAsync(), timeout, "restart of process '" + spec.name() + "'");
    }

    @Override
    public void flushLogs() {
        engine.truncateLogs(spec.name());
    }

    @Override
    public void rollingRestart() {
        rollingRestart(engine.startTimeout);
    }

    @Override
    public void rollingRestart(Duration timeout) {
        await(rollingRestartAsync(), timeout, "rolling restart of process '" + spec.name() + "'");
    }

    @Override
    public void reload() {
        reload(engine.startTimeout);
    }

    @Override
    public void reload(Duration timeout) {
        await(reloadAsync(), timeout, "reload of process '" + spec.name() + "'");
    }

    @Override
    public void scale(int n) {
        scale(n, engine.startTimeout);
    }

    @Override
    public void scale(int n, Duration timeout) {
        await(scaleAsync(n), timeout, "scaling of process '" + spec.name() + "' to " + n + " instances");
    }

    @Override
    public void awaitReady(Duration timeout) {
        List<CompletableFuture<Void>> each = new ArrayList<>();
        instances().forEach(i -> each.add(i.awaitReadyAsync()));
        CompletableFuture<Void> all = Completion.allOrFirstFailure(each);
        try {
            await(all, timeout, "wait for process '" + spec.name() + "' to be ready");
        } finally {
            each.forEach(f -> f.cancel(false)); // an early failure or a timeout leaves no waiter behind
        }
    }

    /** How long the blocking calls wait by default. */
    Duration defaultTimeout() {
        return engine.startTimeout;
    }

    private void await(CompletableFuture<?> work, Duration timeout, String what) {
        Objects.requireNonNull(timeout, "timeout");
        Waits.await(work, timeout, () -> NotReady.after(what, timeout, instances()));
    }

    @Override
    public String toString() {
        return "ProcessGroup{" + spec.name() + ", instances=" + instances.size() + '}';
    }
}
