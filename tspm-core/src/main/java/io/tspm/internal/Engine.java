package io.tspm.internal;

import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import io.tspm.time.Scheduler;
import io.tspm.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the instances of one supervisor share: its clock and ticker, its scheduler, its launcher
 * thread, its event bus, the process-tree operations and the companion reaper.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    final String name;
    final Clock clock;
    final Ticker ticker;
    final Scheduler scheduler;
    final Platform platform;
    final Launcher launcher;
    /** One thread for the engine's own follow-up work (what happens after a spawn), off the launcher. */
    final java.util.concurrent.ExecutorService callbacks;
    final EventBus events;
    final ProcessTree tree;
    private final ScheduledThreadPoolExecutor ownedScheduler;
    final boolean orphanProtection;
    /** Whether children get {@code setpriv --pdeathsig KILL} (on top of the reaper). */
    final boolean parentDeathSignal;
    private OrphanReaper reaper;
    private boolean closed;

    /**
     * @param scheduler the user's scheduler, or null for one daemon thread owned by the engine
     */
    public Engine(String name, Clock clock, Ticker ticker, Scheduler scheduler, boolean orphanProtection,
            boolean parentDeathSignal) {
        this.name = name;
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
        this.launcher = new Launcher("tspm-" + name + "-launcher");
        this.callbacks = java.util.concurrent.Executors.newSingleThreadExecutor(daemonThreads("tspm-" + name + "-engine"));
        this.events = new EventBus("tspm-" + name + "-events");
        this.tree = new ProcessTree(platform, this.scheduler);
    }

    /** Starts the companion reaper on first use, when orphan protection is on. */
    synchronized OrphanReaper reaper() {
        if (reaper == null && orphanProtection && !closed) {
            reaper = OrphanReaper.start(platform);
        }
        return reaper;
    }

    /** The companion reaper's pid, when one runs. */
    public synchronized java.util.OptionalLong reaperPid() {
        return reaper == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(reaper.pid());
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
        events.drain(Duration.ofSeconds(5).toMillis());
        events.close();
        launcher.close();
        callbacks.shutdown();
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
