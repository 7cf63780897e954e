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
 * The output benchmark: a child printing 1,000,000 lines of about 60 bytes, timed until every line
 * is in the log file, against the same child with its stdout redirected straight to a file (the
 * floor, measured in the same round). Prints JSON.
 *
 * <p>The headline is the cold figure, what a user sees: a fresh supervisor JVM per round, its first
 * child, its first million lines (timed from {@code start()}, so the JVM's own start is not in it,
 * but class loading and JIT warm-up are), median of {@code coldRounds} rounds, each round's cold run
 * next to a floor run. Beside it the warmed figure: the same in this JVM after a warm-up, best of
 * {@code rounds}; with timestamps off, on, and as JSON lines; and the supervisor's CPU time per line
 * (that JVM's CPU during the run, the child's excluded).
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Poutput-benchmark -pl tspm-examples -am verify}.
 */
public final class OutputBenchmark {

    private static final int LINES = Integer.getInteger("lines", 1_000_000);
    private static final String AWK = "BEGIN { for (i = 0; i < " + LINES
            + "; i++) printf \"line %07d the quick brown fox jumps over the lazy dog\\n\", i }";
    private static final List<String> COLD_VARIANTS = List.of("plain", "timestamps");

    private OutputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("cold")) {
            double[] m = supervised(Path.of(args[1]), args[2], Long.parseLong(args[3]));
            System.out.println(m[0] + " " + m[1]);
            return;
        }
        int rounds = Integer.getInteger("rounds", 5);
        int coldRounds = Integer.getInteger("coldRounds", rounds);
        Path dir = Files.createTempDirectory("tspm-output-bench");
        try {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("lines", LINES);
            floorMillis(dir); // the page cache and awk's binary
            long bytes = Files.size(dir.resolve("floor.log"));
            int prefix = (java.time.format.DateTimeFormatter.ofPattern(LogSettings.DEFAULT_TIMESTAMP_FORMAT)
                    .withZone(java.time.ZoneId.systemDefault()).format(java.time.Instant.now()) + " ").length();
            for (String variant : COLD_VARIANTS) {
                double[] floors = new double[coldRounds];
                double[] colds = new double[coldRounds];
                double[] ratios = new double[coldRounds];
                double[] cpus = new double[coldRounds];
                for (int i = 0; i < coldRounds; i++) {
                    floors[i] = floorMillis(dir);
                    double[] m = cold(dir, variant, expectedSize(variant, bytes, prefix));
                    colds[i] = m[0];
                    cpus[i] = m[1];
                    ratios[i] = colds[i] / floors[i];
                }
                String key = "cold" + Character.toUpperCase(variant.charAt(0)) + variant.substring(1);
                r.put(key + "OverFloor", round(median(ratios)));
                r.put(key + "Millis", round(median(colds)));
                r.put(key + "FloorMillis", round(median(floors)));
                r.put(key + "MinMaxMillis", "[" + round(min(colds)) + "," + round(max(colds)) + "]");
                r.put(key + "CpuNanosPerLine", Math.round(median(cpus) * 1e6 / LINES));
            }
            double floor = Double.MAX_VALUE;
            for (int i = 0; i < rounds; i++) {
                floor = Math.min(floor, floorMillis(dir));
            }
            r.put("bytesPerLine", round((double) bytes / LINES));
            r.put("floorMillis", round(floor));
            for (String variant : List.of("plain", "timestamps", "json")) {
                long expected = expectedSize(variant, bytes, prefix);
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
                    + "\",\"cpus\":" + Runtime.getRuntime().availableProcessors() + ",\"launch\":\""
                    + (System.getProperty("tspm.launch", "auto").equals("jdk") || Runtime.version().feature() < 22 ? "jdk"
                            : "native") + "\"");
            r.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
            System.out.println(sb.append('}'));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The exact size the file reaches; -1 for JSON, whose time field varies in length (waits for it to settle). */
    private static long expectedSize(String variant, long bytes, int prefix) {
        return variant.equals("plain") ? bytes : variant.equals("timestamps") ? bytes + (long) prefix * LINES : -1;
    }

    /** One supervised run in a fresh JVM on this class path: {millis, supervisor CPU millis}. */
    private static double[] cold(Path dir, String variant, long expectedSize) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "--enable-native-access=ALL-UNNAMED", "-Dtspm.launch=" + System.getProperty("tspm.launch", "auto"),
                "-Dlines=" + LINES, "-cp", System.getProperty("java.class.path"), OutputBenchmark.class.getName(),
                "cold", dir.toString(), variant, Long.toString(expectedSize))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the cold run failed: " + out);
        }
        String[] last = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        return new double[] {Double.parseDouble(last[0]), Double.parseDouble(last[1])};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
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
