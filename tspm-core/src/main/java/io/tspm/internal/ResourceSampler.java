package io.tspm.internal;

import io.tspm.ResourceUsage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples the CPU, memory and threads of every running instance's process tree, at one interval
 * for the whole supervisor. A sample reads the stat file of each process in a watched tree;
 * {@link ProcCache} knows the rest of the machine from earlier samples and lists /proc again only
 * when a pid was handed out since. A supervisor with no running instance reads nothing. Where
 * there is no /proc, the JDK's {@link ProcessHandle.Info} gives the main process's CPU time and
 * nothing else.
 */
final class ResourceSampler {

    /** Open files are counted every this many samples (a stat, or a directory listing, per process is not free). */
    private static final int FD_EVERY = 10;

    /**
     * The last sample of one instance's current process: for the CPU delta, the open files between
     * counts, and the tree's members as found at {@code generation} of the cache.
     */
    private record Previous(long pid, long startTicks, long cpuUnits, long nanos, ResourceUsage usage, int samples,
            List<ProcStat> members, long generation) {

        static final Previous NONE = new Previous(-1, -1, 0, 0, null, 0, List.of(), -1);

        /** Whether this sample was of the process {@code pid} started at {@code startTicks}. */
        boolean of(long pid, long startTicks) {
            return this.pid == pid && this.startTicks == startTicks;
        }
    }

    private final Engine engine;
    private final Duration interval;
    private final Map<ManagedInstance, Previous> watched = new ConcurrentHashMap<>();
    private final ProcCache cache = new ProcCache();
    /** Whether the kernel gives the number of open files as the size of /proc/PID/fd (Linux 6.2+). */
    private Boolean fdDirSized;
    /** Read once, on the thread that builds the supervisor: the scheduler thread never waits for it. */
    private final KernelConstants kernel;
    private volatile boolean stopped;
    private boolean started;
    /**
     * Where the samples are taken: a /proc pass over 1,000 children takes tens of milliseconds,
     * which on the scheduler thread would hold up every timer behind it (a restart's among them).
     */
    private final java.util.concurrent.ThreadPoolExecutor sampling;

    ResourceSampler(Engine engine, Duration interval) {
        this.engine = engine;
        this.interval = interval;
        this.sampling = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), Engine.daemonThreads("tspm-" + engine.name
                        + "-sampler"));
        this.sampling.allowCoreThreadTimeOut(true); // no thread until the first sample, none when idle
        this.kernel = !interval.isZero() && engine.platform.hasProc() ? KernelConstants.read()
                : KernelConstants.DEFAULT;
    }

    /** Starts sampling an instance (on first use, the ticking itself). */
    void watch(ManagedInstance instance) {
        if (interval.isZero()) {
            return;
        }
        watched.put(instance, Previous.NONE);
        synchronized (this) {
            if (!started && !stopped) {
                started = true;
                engine.schedule(this::tick, interval);
            }
        }
    }

    /** On the scheduler: hands the pass to the sampling thread. */
    private void tick() {
        try {
            sampling.execute(this::sample);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped
        }
    }

    void unwatch(ManagedInstance instance) {
        watched.remove(instance);
    }

    void stop() {
        stopped = true;
        sampling.shutdown();
    }

    private void sample() {
        if (stopped) {
            return;
        }
        try {
            if (!watched.isEmpty()) {
                sampleAll();
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ResourceSampler.class).warn("resource sampling failed", e);
        } finally {
            if (!stopped) {
                engine.schedule(this::tick, interval);
            }
        }
    }

    private void sampleAll() {
        boolean proc = engine.platform.hasProc();
        ProcTable table = proc ? cache.refresh() : null;
        long now = engine.ticker.read();
        for (Map.Entry<ManagedInstance, Previous> e : watched.entrySet()) {
            ManagedInstance instance = e.getKey();
            long[] id = instance.identity();
            if (id == null) {
                continue;
            }
            Previous prev = e.getValue();
            Previous next = proc ? sampleTree(id[0], id[1], prev, table, now) : sampleMain(id[0], id[1], prev, now);
            if (next != null) {
                watched.replace(instance, prev, next);
                instance.onSample(id[0], next.usage);
            }
        }
    }

    /** The whole tree's figures from /proc; null when the process has gone. */
    private Previous sampleTree(long pid, long startTicks, Previous prev, ProcTable table, long now) {
        boolean same = prev.of(pid, startTicks);
        // The members found last time serve until a listing finds a process not seen before.
        List<ProcStat> members = same && prev.generation == cache.generation() ? prev.members
                : table.tree(ProcStat.ofIdentity(pid, startTicks), engine.platform.hasSessions() ? pid : 0);
        long rss = 0;
        long cpuTicks = 0;
        int threads = 0;
        List<ProcStat> alive = new ArrayList<>(members.size());
        boolean rootAlive = false;
        for (ProcStat member : members) {
            ProcStat st = cache.current(member.pid(), member.startTicks());
            if (st == null) {
                continue; // gone since it was listed
            }
            rootAlive |= st.pid() == pid;
            cpuTicks += st.cpuTicks();
            rss += st.rssPages();
            threads += st.threads();
            alive.add(member);
        }
        if (!rootAlive) {
            return null; // it has exited; its exit is handled elsewhere
        }
        OptionalInt fds = same && prev.samples % FD_EVERY != 0 ? prev.usage.openFiles() : countFds(pid);
        double cpu = cpuPercent(same, prev, cpuTicks, now, (double) kernel.clockTicksPerSecond());
        ResourceUsage usage = new ResourceUsage(engine.now(), cpu, cpu, OptionalLong.of(rss * kernel.pageSize()),
                threads, alive.size(), fds, cpuTicks / (double) kernel.clockTicksPerSecond());
        return new Previous(pid, startTicks, cpuTicks, now, usage, same ? prev.samples + 1 : 1,
                alive.size() == members.size() ? members : alive, cache.generation());
    }

    /** Without /proc: the main process's CPU time from the JDK, nothing else. */
    private Previous sampleMain(long pid, long startTicks, Previous prev, long now) {
        boolean same = prev.of(pid, startTicks);
        var info = ProcessHandle.of(pid).map(ProcessHandle::info);
        long cpuMillis = info.flatMap(ProcessHandle.Info::totalCpuDuration).map(Duration::toMillis).orElse(0L);
        double cpu = cpuPercent(same, prev, cpuMillis, now, 1000.0);
        ResourceUsage usage = new ResourceUsage(engine.now(), cpu, cpu, OptionalLong.empty(), 0, 1, OptionalInt.empty(),
                cpuMillis / 1000.0);
        return new Previous(pid, startTicks, cpuMillis, now, usage, same ? prev.samples + 1 : 1, List.of(), 0);
    }

    /** CPU as percent of one core since the previous sample of the same process. */
    private static double cpuPercent(boolean same, Previous prev, long cpuUnits, long now, double unitsPerSecond) {
        if (!same || now <= prev.nanos) {
            return 0;
        }
        double seconds = (now - prev.nanos) / 1e9;
        return Math.max(0, 100.0 * (cpuUnits - prev.cpuUnits) / unitsPerSecond / seconds);
    }

    private OptionalInt countFds(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid), "fd");
        if (fdDirSized == null) {
            fdDirSized = sizeOf(Path.of("/proc/self/fd")) > 0;
        }
        if (fdDirSized) {
            long size = sizeOf(dir); // one stat call instead of a directory listing
            return size < 0 ? OptionalInt.empty() : OptionalInt.of((int) size);
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path ignored : ds) {
                n++;
            }
            return OptionalInt.of(n);
        } catch (IOException | SecurityException e) {
            return OptionalInt.empty();
        }
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }
}
