package io.tspm.examples.bench;

import io.tspm.ProbeSettings;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import io.tspm.healthcheck.Probes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The probe cost: N {@code sleep} children (default 1,000), each with a TCP liveness probe every
 * second against a listener in another JVM. Prints, as JSON, the supervisor's threads (all, and
 * named tspm-*) and its CPU as percent of one core over a measured window, next to the same N
 * children without probes. Run: {@code mvn -B -q -DskipTests -Pprobe-benchmark -pl tspm-examples -am verify}.
 */
public final class ProbeBenchmark {

    private ProbeBenchmark() {
    }

    /** The listener, run in its own JVM: accepts and closes connections, prints its port. */
    public static final class Listener {
        public static void main(String[] args) throws Exception {
            try (ServerSocket server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
                System.out.println(server.getLocalPort());
                System.out.flush();
                while (true) {
                    Socket s = server.accept();
                    s.close();
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long windowSeconds = Long.getLong("window", 20);
        Process listener = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Listener.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            int port = Integer.parseInt(new BufferedReader(new InputStreamReader(listener.getInputStream())).readLine());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("children", n);
            r.put("windowSeconds", windowSeconds);
            measure(n, -1, windowSeconds, r, "noProbe");
            measure(n, port, windowSeconds, r, "tcpProbeEverySecond");
            StringBuilder sb = new StringBuilder("{\"benchmark\":\"probes\",\"java\":\"" + System.getProperty("java.version")
                    + "\",\"cpus\":" + Runtime.getRuntime().availableProcessors());
            r.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
            System.out.println(sb.append('}'));
        } finally {
            listener.destroyForcibly();
        }
    }

    private static void measure(int n, int port, long windowSeconds, Map<String, Object> r, String label)
            throws Exception {
        ProcessSpec.Builder spec = ProcessSpec.builder("sleep").command("sleep", "3600").instances(n)
                .captureOutput(false).readyAfter(Duration.ZERO);
        if (port > 0) {
            spec.livenessProbe(ProbeSettings.builder(Probes.tcp(port)).period(Duration.ofSeconds(1)).build());
        }
        try (Supervisor s = Supervisor.builder().name("probebench").addProcess(spec.build()).build()) {
            s.start();
            Thread.sleep(3000); // let start-up settle
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(windowSeconds * 1000);
            double cpuPercent = 100.0 * (cpuNanos() - cpu0) / (System.nanoTime() - t0);
            long threads = ManagementFactory.getThreadMXBean().getThreadCount();
            long ours = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tspm-")).count();
            long reapers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("process reaper")).count();
            r.put(label + "CpuPercentOfOneCore", Math.round(cpuPercent * 100) / 100.0);
            r.put(label + "JvmThreads", threads);
            r.put(label + "TspmThreads", ours);
            r.put(label + "JdkProcessReaperThreads", reapers);
            if (port > 0) {
                long restarts = s.list().stream().mapToLong(i -> i.restarts()).sum();
                r.put(label + "Restarts", restarts);
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

}
