package io.tspm.examples.bench;

import io.tspm.InstanceState;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import io.tspm.event.ProcessReady;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The foundation benchmark. For N {@code sleep} children (default 100 and 1000) it prints, as JSON:
 * the time from {@code start()} until all run, the same N spawned by a bare {@code ProcessBuilder}
 * loop in this JVM (the floor, with the same redirects: stdin from /dev/null, output discarded),
 * the same loop with each child under {@code setsid} (the part of the cost that is the session
 * wrapper's exec, not the supervisor's bookkeeping),
 * the time to stop them all, the median time from an outside SIGKILL of a running child until its
 * replacement runs (zero restart delay, and {@code readyAfter} zero: the default 100 ms "stayed up"
 * rule would add exactly 100 ms), the supervisor's own threads, the JDK's process-reaper
 * threads per child (one waits for each live child) and the heap the supervisor adds per child.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Pbenchmark -pl tspm-examples -am verify}, or with the
 * counts as arguments. Each figure is the best of {@code rounds} (default 3) after a warm-up.
 */
public final class SupervisorBenchmark {

    private static final int RESTART_SAMPLES = 101;
    /** The session wrapper the supervisor puts before every child on Linux. */
    private static final File SETSID = new File("/usr/bin/setsid");

    private SupervisorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? new int[] {100, 1000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.getInteger("rounds", 3);
        warmUp();
        List<String> results = new ArrayList<>();
        for (int n : counts) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("children", n);
            double floor = Double.MAX_VALUE;
            double sessionFloor = Double.MAX_VALUE;
            double start = Double.MAX_VALUE;
            double stop = Double.MAX_VALUE;
            Footprint footprint = null;
            for (int round = 0; round < rounds; round++) {
                floor = Math.min(floor, bareSpawnMillis(n));
                if (SETSID.exists()) {
                    sessionFloor = Math.min(sessionFloor, bareSpawnMillis(n, List.of(SETSID.getPath())));
                }
                SupervisedRun run = supervisedRun(n);
                start = Math.min(start, run.startMillis);
                stop = Math.min(stop, run.stopMillis);
                footprint = run.footprint;
            }
            r.put("floorSpawnAllMillis", round(floor));
            if (sessionFloor != Double.MAX_VALUE) {
                r.put("floorWithSetsidMillis", round(sessionFloor));
            }
            r.put("supervisorStartAllMillis", round(start));
            r.put("startOverFloor", round(start / floor));
            r.put("supervisorStopAllMillis", round(stop));
            r.put("supervisorThreads", footprint.supervisorThreads);
            r.put("jdkProcessReaperThreadsPerChild", round(footprint.reaperThreadsPerChild));
            r.put("heapBytesPerChild", Math.round(footprint.heapBytesPerChild));
            r.put("restartMedianMillis", round(restartMedianMillis(n)));
            results.add(toJson(r));
            System.err.println("done: " + n + " children");
        }
        System.out.println("{\"benchmark\":\"foundation\",\"java\":\"" + System.getProperty("java.version")
                + "\",\"cpus\":" + Runtime.getRuntime().availableProcessors() + ",\"results\":[\n  "
                + String.join(",\n  ", results) + "\n]}");
    }

    private static void warmUp() throws Exception {
        bareSpawnMillis(50);
        supervisedRun(50);
    }

    /** Spawns n sleeps with a plain ProcessBuilder loop; returns the spawn time, then kills them. */
    static double bareSpawnMillis(int n) throws Exception {
        return bareSpawnMillis(n, List.of());
    }

    /** As {@link #bareSpawnMillis(int)}, each child wrapped in {@code prefix} (e.g. setsid). */
    static double bareSpawnMillis(int n, List<String> prefix) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("sleep", "600"));
        List<Process> procs = new ArrayList<>(n);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            procs.add(pb.start());
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        procs.forEach(Process::destroyForcibly);
        for (Process p : procs) {
            p.waitFor();
        }
        return millis;
    }

    /** Threads named tspm-* (ours), the JDK's process reapers per child, heap per child. */
    record Footprint(long supervisorThreads, double reaperThreadsPerChild, double heapBytesPerChild) {
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    record SupervisedRun(double startMillis, double stopMillis, Footprint footprint) {
    }

    static SupervisedRun supervisedRun(int n) throws Exception {
        long heapBefore = usedHeapAfterGc();
        try (Supervisor s = Supervisor.builder().name("bench")
                .addProcess(ProcessSpec.builder("sleep").command("sleep", "600").instances(n).captureOutput(false)
                        .readyAfter(Duration.ZERO).build())
                .build()) {
            long t0 = System.nanoTime();
            s.start();
            double start = (System.nanoTime() - t0) / 1e6;
            if (s.list().stream().anyMatch(i -> i.state() != InstanceState.RUNNING)) {
                throw new IllegalStateException("not all running");
            }
            long ours = threadsNamed("tspm-");
            long reapers = threadsNamed("process reaper");
            long heap = usedHeapAfterGc() - heapBefore;
            long t1 = System.nanoTime();
            s.stop();
            double stop = (System.nanoTime() - t1) / 1e6;
            return new SupervisedRun(start, stop, new Footprint(ours, (double) reapers / n, (double) heap / n));
        }
    }

    /** n running children with zero restart delay; SIGKILL one at a time, time until its replacement runs. */
    static double restartMedianMillis(int n) throws Exception {
        BlockingQueue<ProcessReady> ready = new ArrayBlockingQueue<>(4 * n + RESTART_SAMPLES);
        try (Supervisor s = Supervisor.builder().name("bench")
                .addProcess(ProcessSpec.builder("sleep").command("sleep", "600").instances(n).captureOutput(false)
                        .readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ZERO).unlimitedRestarts().build())
                        .build())
                .addListener(e -> {
                    if (e instanceof ProcessReady) {
                        ready.add((ProcessReady) e);
                    }
                })
                .build()) {
            s.start();
            // Events arrive asynchronously: wait for the n initial ones before measuring.
            for (int i = 0; i < n; i++) {
                if (ready.poll(10, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("missing initial ProcessReady events");
                }
            }
            double[] samples = new double[RESTART_SAMPLES];
            for (int k = 0; k < RESTART_SAMPLES; k++) {
                ProcessInstance victim = s.group("sleep").instance(k % n);
                long pid = victim.pid().getAsLong();
                long t0 = System.nanoTime();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                ProcessReady e = ready.poll(10, TimeUnit.SECONDS);
                if (e == null || e.instanceId() != k % n) {
                    throw new IllegalStateException("no replacement for " + pid + ": " + e);
                }
                samples[k] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(samples);
            return samples[samples.length / 2];
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static String toJson(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }
}
