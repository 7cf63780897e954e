package io.tspm.internal;

import io.tspm.ResourceUsage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples the CPU, memory and threads of every running instance's process tree, at one interval
 * for the whole supervisor: one /proc scan per tick serves all instances, so the cost grows with
 * the number of processes and stays small; an idle supervisor with no running instance scans
 * nothing. Where there is no /proc, the JDK's {@link ProcessHandle.Info} gives the main process's
 * CPU time and nothing else.
 */
final class ResourceSampler {

    /** Open files are counted every this many samples (a directory listing per process is not free). */
    private static final int FD_EVERY = 10;

    /** The last sample of one instance's current process, for the CPU delta (and its last fd count). */
    private record Previous(long pid, long cpuTicks, long nanos, OptionalInt fds, int samples) {
    }

    private final Engine engine;
    private final Duration interval;
    private final Map<ManagedInstance, Previous> watched = new ConcurrentHashMap<>();
    private long clockTicksPerSecond;
    private long pageSize;
    private volatile boolean stopped;
    private boolean started;

    ResourceSampler(Engine engine, Duration interval) {
        this.engine = engine;
        this.interval = interval;
    }

    /** Starts sampling an instance (on first use, the ticking itself). */
    void watch(ManagedInstance instance) {
        if (interval.isZero()) {
            return;
        }
        watched.put(instance, new Previous(-1, 0, 0, OptionalInt.empty(), 0));
        synchronized (this) {
            if (!started && !stopped) {
                started = true;
                engine.schedule(this::tick, interval);
            }
        }
    }

    void unwatch(ManagedInstance instance) {
        watched.remove(instance);
    }

    void stop() {
        stopped = true;
    }

    private void tick() {
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
        ProcTable table = proc ? ProcTable.scan() : null;
        if (proc && clockTicksPerSecond == 0) {
            clockTicksPerSecond = getconf("CLK_TCK", 100);
            pageSize = getconf("PAGESIZE", 4096);
        }
        long now = engine.ticker.read();
        for (Map.Entry<ManagedInstance, Previous> e : watched.entrySet()) {
            ManagedInstance instance = e.getKey();
            long[] id = instance.identity();
            if (id == null) {
                continue;
            }
            long pid = id[0];
            Previous prev = e.getValue();
            boolean same = prev.pid == pid;
            long cpuTicks;
            OptionalLong memory;
            int threads;
            int processes;
            OptionalInt fds = OptionalInt.empty();
            if (proc) {
                List<ProcStat> tree = table.tree(ProcStat.ofIdentity(pid, id[1]),
                        engine.platform.hasSessions() ? pid : 0);
                if (tree.isEmpty()) {
                    continue;
                }
                long rss = 0;
                cpuTicks = 0;
                threads = 0;
                for (ProcStat st : tree) {
                    cpuTicks += st.cpuTicks();
                    rss += st.rssPages();
                    threads += st.threads();
                }
                memory = OptionalLong.of(rss * pageSize);
                processes = tree.size();
                fds = same && prev.samples % FD_EVERY != 0 ? prev.fds : countFds(pid);
            } else {
                var info = ProcessHandle.of(pid).map(ProcessHandle::info);
                cpuTicks = info.flatMap(ProcessHandle.Info::totalCpuDuration).map(Duration::toMillis).orElse(0L);
                memory = OptionalLong.empty();
                threads = 0;
                processes = 1;
            }
            double cpu = 0;
            if (same && now > prev.nanos) {
                double seconds = (now - prev.nanos) / 1e9;
                double used = proc ? (double) (cpuTicks - prev.cpuTicks) / clockTicksPerSecond
                        : (cpuTicks - prev.cpuTicks) / 1000.0;
                cpu = Math.max(0, 100.0 * used / seconds);
            }
            watched.replace(instance, prev, new Previous(pid, cpuTicks, now, fds, same ? prev.samples + 1 : 1));
            instance.onSample(pid, new ResourceUsage(engine.now(), cpu, memory, threads, processes, fds));
        }
    }

    private static OptionalInt countFds(long pid) {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path ignored : ds) {
                n++;
            }
            return OptionalInt.of(n);
        } catch (IOException | SecurityException e) {
            return OptionalInt.empty();
        }
    }

    private static long getconf(String name, long fallback) {
        try {
            Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }
}
