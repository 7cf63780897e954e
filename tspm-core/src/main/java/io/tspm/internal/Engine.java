package io.tspm.internal;

import io.tspm.Human;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import io.tspm.time.Scheduler;
import io.tspm.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the instances of one supervisor share: its clock and ticker, its scheduler, its launcher
 * thread, its event bus, the process-tree operations and the companion reaper.
 */
final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    final String name;
    /** How long the blocking calls wait by default (the supervisor's start timeout). */
    final Duration startTimeout;
    final Clock clock;
    final Ticker ticker;
    final Scheduler scheduler;
    final Platform platform;
    final Launcher launcher;
    /** How children are spawned and signalled: the JDK's way or the native one (posix_spawn, pidfds). */
    final Spawner spawner;
    /** One thread for the engine's own follow-up work (what happens after a spawn), off the launcher. */
    final java.util.concurrent.Executor callbacks;
    private final java.util.concurrent.ExecutorService ownedEngineThread;
    private volatile boolean closing;
    final EventBus events;
    final ProcessTree tree;
    /** Runs probe checks (never on the scheduler thread); bounded, idle threads end. */
    final java.util.concurrent.ThreadPoolExecutor probePool;
    /** A small pool for probes that must block ({@code Probe.blocking}); bounded, idle threads end. */
    final java.util.concurrent.ThreadPoolExecutor blockingProbes;
    /** Objects probes share per supervisor (an HTTP client); written under {@link #sharedLock}, read without it. */
    private final java.util.concurrent.ConcurrentHashMap<Class<?>, Object> shared = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object sharedLock = new Object();
    private boolean sharedClosed; // guarded by sharedLock
    /** SLF4J and line listeners, off the pump threads. */
    final LineDispatcher lines;
    final LogFiles logFiles;
    final ResourceSampler sampler;
    final FileWatcher watcher;
    /** Programs already found on PATH (and their #! checked), for the launcher threads. */
    final ProgramCache programs = new ProgramCache();
    /** The inherited environments the launcher threads share between spawns. */
    final ChildEnvironment.Bases environments = new ChildEnvironment.Bases();
    /** Set once by the supervisor: carries out ONE_FOR_ALL and REST_FOR_ONE. */
    volatile RestartCoordinator coordinator;
    /** Set once by the supervisor: throws when a scaled spec's fixed ports overlap another process's. */
    volatile java.util.function.Consumer<io.tspm.ProcessSpec> scaleCheck = spec -> { };
    private final ScheduledThreadPoolExecutor ownedScheduler;
    final boolean orphanProtection;
    /** Whether children get {@code setpriv --pdeathsig KILL} (on top of the reaper). */
    final boolean parentDeathSignal;
    private OrphanReaper reaper;
    private boolean closed;

    /**
     * @param scheduler    the user's scheduler, or null for one daemon thread owned by the engine
     * @param logDirectory the supervisor's log directory, or null for none
     * @param sampleInterval how often resources are sampled; zero for never
     */
    public Engine(String name, Clock clock, Ticker ticker, Scheduler scheduler, boolean orphanProtection,
            boolean parentDeathSignal, java.nio.file.Path logDirectory, Duration sampleInterval) {
        this(name, clock, ticker, scheduler, orphanProtection, parentDeathSignal, logDirectory, sampleInterval,
                Duration.ofSeconds(60));
    }

    /** @param startTimeout how long the blocking calls wait by default */
    public Engine(String name, Clock clock, Ticker ticker, Scheduler scheduler, boolean orphanProtection,
            boolean parentDeathSignal, java.nio.file.Path logDirectory, Duration sampleInterval,
            Duration startTimeout) {
        this(name, clock, ticker, scheduler, orphanProtection, parentDeathSignal, logDirectory, sampleInterval,
                startTimeout, true);
    }

    /** @param nativeLaunch false to force the JDK launch path (else chosen by {@link Spawner#choose}) */
    public Engine(String name, Clock clock, Ticker ticker, Scheduler scheduler, boolean orphanProtection,
            boolean parentDeathSignal, java.nio.file.Path logDirectory, Duration sampleInterval,
            Duration startTimeout, boolean nativeLaunch) {
        this.name = name;
        this.startTimeout = startTimeout;
        this.clock = clock;
        this.ticker = ticker;
        this.orphanProtection = orphanProtection;
        this.parentDeathSignal = orphanProtection && parentDeathSignal;
        if (scheduler == null) {
            ownedScheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("tspm-" + name + "-scheduler"));
            ownedScheduler.setRemoveOnCancelPolicy(true);
            this.scheduler = Scheduler.of(ownedScheduler);
        } else {
            ownedScheduler = null;
            this.scheduler = scheduler;
        }
        this.platform = Platform.detect(this.parentDeathSignal);
        platform.limitations().ifPresent(l -> LOG.info("process supervision on this machine is limited: {}", l));
        this.launcher = new Launcher("tspm-" + name + "-launcher", Launcher.THREADS);
        this.spawner = Spawner.choose(nativeLaunch, name, LOG);
        java.util.concurrent.ExecutorService engineThread =
                java.util.concurrent.Executors.newSingleThreadExecutor(daemonThreads("tspm-" + name + "-engine"));
        this.ownedEngineThread = engineThread;
        // After close, follow-ups still run (inline) so no future is left hanging.
        this.callbacks = task -> {
            try {
                engineThread.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                task.run();
            }
        };
        this.events = new EventBus("tspm-" + name + "-events");
        this.tree = new ProcessTree(platform, this.scheduler, ticker, callbacks, spawner);
        this.lines = new LineDispatcher("tspm-" + name + "-output");
        this.probePool = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(100_000), daemonThreads("tspm-" + name + "-probe"));
        this.probePool.allowCoreThreadTimeOut(true);
        this.blockingProbes = new java.util.concurrent.ThreadPoolExecutor(4, 4, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(10_000), daemonThreads("tspm-" + name + "-blocking-probe"));
        this.blockingProbes.allowCoreThreadTimeOut(true);
        this.logFiles = new LogFiles(this, logDirectory);
        this.sampler = new ResourceSampler(this, sampleInterval);
        this.watcher = new FileWatcher(this);
    }

    /** Tells the companion reaper that a child's session is gone (it and its leftovers). */
    void forgetSession(long pid) {
        OrphanReaper r;
        synchronized (this) {
            r = reaper;
        }
        if (r != null) {
            r.unregister(pid);
        }
    }

    /** The companion reaper, started on first use when orphan protection is on; null without it. */
    synchronized OrphanReaper reaper() {
        if (reaper == null && orphanProtection && !closed) {
            reaper = OrphanReaper.start(platform);
        }
        return reaper;
    }

    /**
     * Starts the companion reaper now, on a launcher thread (as for a child), rather than with the
     * first child: a supervisor that starts is about to spawn, and by the time its first child is
     * spawned the reaper's JDK process start is usually done, so the launchers do not queue behind
     * it. A failure here is tried again by the first spawn, which reports it.
     */
    void prepareReaper() {
        if (orphanProtection) {
            launcher.submit(this::reaper).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("starting the companion reaper failed; the first spawn tries again", e);
                }
            });
        }
    }

    /** The companion reaper's pid, when one runs. */
    public synchronized java.util.OptionalLong reaperPid() {
        return reaper == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(reaper.pid());
    }

    public void coordinator(RestartCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    /** What a scale-up checks its new fixed ports against (the other processes' ranges). */
    public void scaleCheck(java.util.function.Consumer<io.tspm.ProcessSpec> check) {
        this.scaleCheck = check;
    }

    /** The spawn-time context probes get for {@code environment}. */
    io.tspm.spi.SpawnContext spawnContext(String process, int instanceId) {
        return new io.tspm.spi.SpawnContext() {
            @Override
            public String processName() {
                return process;
            }

            @Override
            public int instanceId() {
                return instanceId;
            }

            @Override
            public <T> T shared(Class<T> key, java.util.function.Supplier<? extends T> create) {
                return Engine.this.shared(key, create);
            }
        };
    }

    /**
     * The object probes of this supervisor share under {@code key}, created on first use. The
     * supplier runs under no lock (it may ask for other shared objects, or block); when two first
     * uses race, both create, one object is kept and the other is closed, if it is
     * {@link AutoCloseable}. One created after the supervisor closed is closed at once.
     */
    <T> T shared(Class<T> key, java.util.function.Supplier<? extends T> create) {
        Object known = shared.get(key);
        if (known != null) {
            return key.cast(known);
        }
        T made = java.util.Objects.requireNonNull(create.get(), () -> "the supplier of shared " + key.getName()
                + " returned null");
        boolean tooLate;
        Object kept;
        synchronized (sharedLock) {
            tooLate = sharedClosed;
            kept = tooLate ? null : shared.putIfAbsent(key, made);
        }
        if (tooLate || kept != null) {
            closeShared(made); // a loser, or made after close: nobody else would close it
        }
        return key.cast(kept != null ? kept : made);
    }

    private static void closeShared(Object o) {
        if (o instanceof AutoCloseable) {
            try {
                ((AutoCloseable) o).close();
            } catch (Exception e) {
                LOG.debug("closing a shared probe object failed", e);
            }
        }
    }

    /** Closes the log files of a removed process. */
    public void forgetLogs(String processName) {
        logFiles.forget(processName);
    }

    /** Empties every log file (PM2's flush). */
    public void truncateLogs() {
        logFiles.truncateAll();
    }

    /** Empties the log files of one process. */
    public void truncateLogs(String processName) {
        logFiles.truncate(processName);
    }

    /** Reopens every log file by name (after an outside tool moved it). */
    public void reopenLogs() {
        logFiles.reopenAll();
    }

    /** From now on no instance starts: the supervisor is closing. */
    public void beginClose() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * {@code future}, or {@code null} once {@code delay} has passed on the supervisor's scheduler
     * (at once if the scheduler is closed): for waits that must end, such as the output drain.
     */
    <T> CompletableFuture<T> orAfter(CompletableFuture<T> future, Duration delay) {
        if (future.isDone()) {
            return future;
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((v, e) -> result.complete(e == null ? v : null));
        java.util.concurrent.Future<?> timer = schedule(() -> result.complete(null), delay);
        if (timer.isCancelled()) {
            result.complete(null);
        }
        result.whenComplete((v, e) -> timer.cancel(false));
        return result;
    }

    /**
     * {@code future}, failed with a {@link java.util.concurrent.TimeoutException} once
     * {@code timeout} has passed on the supervisor's scheduler (at once if it is closed).
     */
    <T> CompletableFuture<T> within(CompletableFuture<T> future, Duration timeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        });
        if (!result.isDone()) {
            java.util.concurrent.Future<?> timer = schedule(() -> result.completeExceptionally(
                    new java.util.concurrent.TimeoutException("not done within " + Human.duration(timeout))), timeout);
            if (timer.isCancelled()) {
                result.completeExceptionally(new java.util.concurrent.TimeoutException("the supervisor is closed"));
            }
            result.whenComplete((v, e) -> timer.cancel(false));
        }
        return result;
    }

    /**
     * Schedules on the supervisor's scheduler; once it refuses (shut down), returns a cancelled
     * future instead of throwing into the state machine.
     */
    java.util.concurrent.Future<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("scheduler refused a task (closed): {}", e.toString());
            CompletableFuture<Void> f = new CompletableFuture<>();
            f.cancel(false);
            return f;
        }
    }

    public Platform platform() {
        return platform;
    }

    public void publish(SupervisorEvent event) {
        events.publish(event);
    }

    public void addListener(SupervisorListener listener) {
        events.add(listener);
    }

    public void removeListener(SupervisorListener listener) {
        events.remove(listener);
    }

    /** Events the listeners did not get because they had fallen behind by the whole event buffer. */
    public long droppedEvents() {
        return events.dropped();
    }

    public java.time.Instant now() {
        return clock.instant();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Releases the threads and the reaper. Call only when no child is alive any more. */
    @Override
    public void close() {
        OrphanReaper r;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            r = reaper;
        }
        if (r != null) {
            r.close();
        }
        sampler.stop();
        watcher.close();
        lines.close();
        logFiles.closeAll();
        events.drain(Duration.ofSeconds(5).toMillis());
        events.close();
        launcher.close();
        spawner.close();
        ownedEngineThread.shutdown();
        blockingProbes.shutdownNow();
        probePool.shutdownNow();
        java.util.List<Object> made;
        synchronized (sharedLock) {
            sharedClosed = true;
            made = new java.util.ArrayList<>(shared.values());
            shared.clear();
        }
        made.forEach(Engine::closeShared);
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
    }

    static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, n.getAndIncrement() == 0 ? name : name + "-" + n.get(), 256 * 1024);
            t.setDaemon(true);
            return t;
        };
    }
}
