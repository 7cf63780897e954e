package io.tspm.examples.bench;

import io.tspm.ProcessGroup;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cost of resource sampling: the supervisor's CPU, as percent of one core, with idle
 * {@code sleep} children sampled every second, at 250, 500 and 1,000 children (scaled within one
 * supervisor, so the sampler's code stays compiled), next to 1,000 children with sampling off.
 * The sampler runs once a second, so the JIT takes about a minute to compile it: the first
 * {@code warmup} seconds (default 60) are reported apart. Prints JSON. Run:
 * {@code mvn -B -q -DskipTests -Psampling-benchmark -pl tspm-examples -am verify}.
 */
public final class SamplingBenchmark {

    private static final int[] SIZES = {250, 500, 1000};

    private SamplingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long warmup = Long.getLong("warmup", 60);
        long window = Long.getLong("window", 30);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("warmupSeconds", warmup);
        r.put("windowSeconds", window);
        try (Supervisor s = supervisor(Duration.ofSeconds(1), 1000)) {
            s.start();
            ProcessGroup group = s.group("idle");
            r.put("sampled1000FirstMinuteCpuPercent", cpuPercentOver(warmup));
            for (int n : SIZES) {
                group.scale(n);
                Thread.sleep(10_000); // let the scaling (stops, exits, compilation) settle
                r.put("sampled" + n + "CpuPercent", cpuPercentOver(window));
            }
        }
        try (Supervisor s = supervisor(Duration.ZERO, 1000)) {
            s.start();
            Thread.sleep(3000);
            r.put("unsampled1000CpuPercent", cpuPercentOver(window));
        }
        double cost = (double) r.get("sampled1000CpuPercent") - (double) r.get("unsampled1000CpuPercent");
        // percent of one core over 1,000 processes sampled once a second: 1% = 10 us per process
        r.put("samplingMicrosPerProcess", Math.round(cost * 10 * 100) / 100.0);
        StringBuilder sb = new StringBuilder("{\"benchmark\":\"sampling\",\"java\":\"" + System.getProperty("java.version")
                + "\",\"cpus\":" + Runtime.getRuntime().availableProcessors());
        r.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
        System.out.println(sb.append('}'));
    }

    private static Supervisor supervisor(Duration sampleInterval, int n) {
        return Supervisor.builder().name("samplingbench").sampleInterval(sampleInterval)
                .addProcess(ProcessSpec.builder("idle").command("sleep", "3600").instances(n)
                        .captureOutput(false).readyAfter(Duration.ZERO).build())
                .build();
    }

    private static double cpuPercentOver(long seconds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000);
        double percent = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
        return Math.round(percent * 100) / 100.0;
    }
}
