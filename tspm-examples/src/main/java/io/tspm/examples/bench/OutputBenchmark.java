package io.tspm.examples.bench;

import io.tspm.LogSettings;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output benchmark: a child printing 1,000,000 lines of about 60 bytes. Prints, as JSON, the
 * time until every line is in the log file, against the same child with its stdout redirected
 * straight to a file (the floor), with timestamps off, on, and as JSON lines; and the supervisor's
 * CPU time per line (this JVM's CPU during the run, the child's excluded). Best of {@code rounds}.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Poutput-benchmark -pl tspm-examples -am verify}.
 */
public final class OutputBenchmark {

    private static final int LINES = Integer.getInteger("lines", 1_000_000);
    private static final String AWK = "BEGIN { for (i = 0; i < " + LINES
            + "; i++) printf \"line %07d the quick brown fox jumps over the lazy dog\\n\", i }";

    private OutputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 5);
        Path dir = Files.createTempDirectory("tspm-output-bench");
        try {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("lines", LINES);
            floorMillis(dir); // warm-up
            double floor = Double.MAX_VALUE;
            for (int i = 0; i < rounds; i++) {
                floor = Math.min(floor, floorMillis(dir));
            }
            long bytes = Files.size(dir.resolve("floor.log"));
            r.put("bytesPerLine", round((double) bytes / LINES));
            r.put("floorMillis", round(floor));
            int prefix = (java.time.format.DateTimeFormatter.ofPattern(LogSettings.DEFAULT_TIMESTAMP_FORMAT)
                    .withZone(java.time.ZoneId.systemDefault()).format(java.time.Instant.now()) + " ").length();
            for (String variant : List.of("plain", "timestamps", "json")) {
                // The exact size the file reaches (JSON's time field varies in length: waits for it to settle).
                long expected = variant.equals("plain") ? bytes
                        : variant.equals("timestamps") ? bytes + (long) prefix * LINES : -1;
                supervised(dir, variant, expected); // warm-up
                double best = Double.MAX_VALUE;
                double cpu = Double.MAX_VALUE;
                for (int i = 0; i < rounds; i++) {
                    double[] m = supervised(dir, variant, expected);
                    best = Math.min(best, m[0]);
                    cpu = Math.min(cpu, m[1]);
                }
                r.put(variant + "Millis", round(best));
                r.put(variant + "OverFloor", round(best / floor));
                r.put(variant + "CpuNanosPerLine", Math.round(cpu * 1e6 / LINES));
            }
            StringBuilder sb = new StringBuilder("{\"benchmark\":\"output\",\"java\":\"" + System.getProperty("java.version")
                    + "\",\"cpus\":" + Runtime.getRuntime().availableProcessors());
            r.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
            System.out.println(sb.append('}'));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The child straight into a file: done when it exits. */
    static double floorMillis(Path dir) throws Exception {
        File out = dir.resolve("floor.log").toFile();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("awk", AWK).redirectOutput(out)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        p.waitFor();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Returns {millis until every line is in the file, supervisor CPU millis}. */
    static double[] supervised(Path dir, String variant, long expectedSize) throws Exception {
        Path logs = Files.createDirectories(dir.resolve(variant + "-" + System.nanoTime()));
        LogSettings.Builder settings = LogSettings.builder().maxFileSize(1L << 34).stdoutLevel(null);
        if (!variant.equals("timestamps")) {
            settings.noTimestamps();
        }
        settings.json(variant.equals("json"));
        try (Supervisor s = Supervisor.builder().name("outbench").logDirectory(logs)
                .addProcess(ProcessSpec.builder("awk").command("awk", AWK).readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.never()).logs(settings.build()).build())
                .build()) {
            ProcessInstance i = s.group("awk").instance(0);
            Path file = logs.resolve("awk-0.out.log");
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            s.start();
            // Poll cheaply (a sleeping thread, a stat): the machine has 2 cores to share with the child.
            while (i.outputStats().lines() < LINES) {
                Thread.sleep(1);
            }
            long size = -1;
            while (true) {
                long now = Files.exists(file) ? Files.size(file) : 0;
                if (now == size && (expectedSize < 0 || now == expectedSize)) {
                    break;
                }
                size = now;
                Thread.sleep(1);
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            double cpuMillis = (processCpuNanos() - cpu0) / 1e6;
            if (countLines(file) != LINES) {
                throw new IllegalStateException("lines missing in " + file);
            }
            return new double[] {millis, cpuMillis};
        }
    }

    private static long countLines(Path file) throws Exception {
        // Bytes end with '\n' per line; count newlines fast.
        byte[] all = Files.readAllBytes(file);
        long n = 0;
        for (byte b : all) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

}
