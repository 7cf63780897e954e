package io.tspm.examples.bench;

import io.tspm.ProcessGroup;
import io.tspm.Supervisor;
import io.tspm.loadbalancer.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The TCP proxy against a straight loopback connection and against HAProxy (Debian's
 * {@code /usr/sbin/haproxy}, mode tcp, round robin) over the same two backends, in one run. Prints
 * JSON: bulk throughput (one connection uploading {@code bulkMiB}, best of {@code rounds}) and its
 * ratio to loopback; short HTTP requests on fresh connections ({@code clients} threads for
 * {@code seconds}) per second, with p50 and p99 latency and what each proxy adds over loopback.
 * Without HAProxy it says so and still prints the rest.
 *
 * <p>Bulk also stands beside a floor: {@code src/bench/c/copy_proxy.c}, the least a proxy can do (a
 * blocking thread per direction, read and write), built with {@code gcc} when the machine has it.
 * On two cores the sender, the proxy and the receiver share them, so no proxy gets near loopback.
 *
 * <p>Fair by construction: the proxy's event loops and HAProxy's {@code nbthread} are the same
 * number ({@code -Dthreads}, default the proxy's own default), and the three paths take turns within
 * each of {@code rounds} rounds, so a neighbour's load on the machine falls on all of them alike.
 * The HTTP figures are from the round with the median rate ratio; every round's ratios are listed.
 *
 * <p>The backends run in this JVM on the two ports of a supervised group of placeholder children
 * (so the proxy spreads over a real group's endpoints). Run:
 * {@code mvn -B -q -DskipTests -Pproxy-benchmark -pl tspm-examples -am verify}.
 */
public final class ProxyBenchmark {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    /** The floor proxy's source; the build passes its place (the example module's src/bench/c). */
    private static final Path COPY_PROXY_SOURCE = Path.of(System.getProperty("tspm.bench.copyProxy",
            "src/bench/c/copy_proxy.c"));
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private ProxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int bulkMiB = Integer.getInteger("bulkMiB", 1024);
        int clients = Integer.getInteger("clients", 4);
        int seconds = Integer.getInteger("seconds", 5);
        int rounds = Integer.getInteger("rounds", 3);
        Integer threadsAsked = Integer.getInteger("threads");
        int base = freePair();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Supervisor s = Supervisor.builder().shutdownHook(false)
                .addProcess("bench", p -> p.command("sleep", "3600").instances(2).basePort(base)
                        .readyAfter(Duration.ZERO))
                .build()) {
            s.start();
            // The instances' servers are this JVM's, bound once the group holds the ports (a start
            // is refused when its fixed port is in use).
            List<Thread> backends = List.of(backend(base), backend(base + 1));
            ProcessGroup group = s.group("bench");
            TcpProxy.Builder settings = TcpProxy.builder().group(group);
            if (threadsAsked != null) {
                settings.eventLoops(threadsAsked);
            }
            if (Integer.getInteger("bufferKiB") != null) {
                settings.bufferSize(Integer.getInteger("bufferKiB") * 1024);
            }
            try (TcpProxy proxy = settings.open()) {
                int threads = (int) Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("tspm-proxy-bench-")).count();
                Process haproxy = startHaproxy(base, threads);
                int haproxyPort = haproxy == null ? -1 : HAPROXY_PORT;
                int floorPort = freePort();
                Process floor = null;
                try {
                    floor = startCopyProxy(floorPort, base); // inside: a failed build still stops HAProxy
                    // Warm-up: the proxy's code paths compiled before anything is measured.
                    LongSupplier none = () -> 0;
                    LongSupplier tspmCpu = ProxyBenchmark::proxyThreadsCpuNanos;
                    LongSupplier haCpu = haproxy == null ? none : () -> processCpuNanos(haproxy.pid());
                    bulk(proxy.port(), 256);
                    if (floor != null) {
                        bulk(floorPort, 256);
                    }
                    http(proxy.port(), clients, 2, none);
                    http(base, clients, 1, none);

                    out.put("threads", threads);
                    out.put("rounds", rounds);
                    double direct = 0;
                    double tspm = 0;
                    double ha = 0;
                    double floorRate = 0;
                    long tspmBulkCpu = 0;
                    long haBulkCpu = 0;
                    List<Double> tspmOverLoopback = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        double d = bulk(base, bulkMiB);
                        long cpu0 = tspmCpu.getAsLong();
                        double t = bulk(proxy.port(), bulkMiB);
                        tspmBulkCpu += tspmCpu.getAsLong() - cpu0;
                        tspmOverLoopback.add(round(t / d));
                        direct = Math.max(direct, d);
                        tspm = Math.max(tspm, t);
                        if (haproxy != null) {
                            cpu0 = haCpu.getAsLong();
                            ha = Math.max(ha, bulk(haproxyPort, bulkMiB));
                            haBulkCpu += haCpu.getAsLong() - cpu0;
                        }
                        if (floor != null) {
                            floorRate = Math.max(floorRate, bulk(floorPort, bulkMiB));
                        }
                    }
                    double gib = rounds * bulkMiB / 1024.0;
                    Map<String, Object> bulk = new LinkedHashMap<>();
                    bulk.put("mib", bulkMiB);
                    bulk.put("loopbackMiBPerSecond", round(direct));
                    bulk.put("tspmMiBPerSecond", round(tspm));
                    bulk.put("tspmOverLoopback", round(tspm / direct));
                    bulk.put("tspmOverLoopbackPerRound", tspmOverLoopback);
                    bulk.put("tspmCpuMillisPerGiB", round(tspmBulkCpu / 1e6 / gib));
                    if (haproxy != null) {
                        bulk.put("haproxyMiBPerSecond", round(ha));
                        bulk.put("haproxyOverLoopback", round(ha / direct));
                        bulk.put("haproxyCpuMillisPerGiB", round(haBulkCpu / 1e6 / gib));
                    }
                    if (floor != null) {
                        bulk.put("copyProxyFloorMiBPerSecond", round(floorRate));
                        bulk.put("copyProxyFloorOverLoopback", round(floorRate / direct));
                        bulk.put("tspmOverCopyProxyFloor", round(tspm / floorRate));
                    } else {
                        bulk.put("copyProxyFloor", "not built: needs /usr/bin/gcc and " + COPY_PROXY_SOURCE
                                + " (a build error goes to stderr)");
                    }
                    out.put("bulk", bulk);

                    Map<String, Object> http = new LinkedHashMap<>();
                    http.put("clients", clients);
                    http.put("seconds", seconds);
                    List<HttpRun[]> runs = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        HttpRun loop = http(base, clients, seconds, none);
                        HttpRun viaTspm = http(proxy.port(), clients, seconds, tspmCpu);
                        HttpRun viaHa = haproxy != null ? http(haproxyPort, clients, seconds, haCpu) : null;
                        runs.add(new HttpRun[] {loop, viaTspm, viaHa});
                    }
                    if (haproxy != null) {
                        runs.sort(java.util.Comparator.comparingDouble(run -> run[1].perSecond() / run[2].perSecond()));
                    }
                    HttpRun[] median = runs.get(runs.size() / 2);
                    http.put("loopback", median[0].json(null));
                    http.put("tspm", median[1].json(median[0]));
                    if (haproxy != null) {
                        http.put("haproxy", median[2].json(median[0]));
                        http.put("tspmRateOverHaproxy", round(median[1].perSecond() / median[2].perSecond()));
                        http.put("tspmP99OverHaproxyP99", round(median[1].percentile(99) / median[2].percentile(99)));
                        http.put("tspmRateOverHaproxyPerRound", runs.stream()
                                .map(run -> round(run[1].perSecond() / run[2].perSecond())).toList());
                        http.put("tspmP99OverHaproxyP99PerRound", runs.stream()
                                .map(run -> round(run[1].percentile(99) / run[2].percentile(99))).toList());
                    }
                    out.put("http", http);
                    out.put("haproxy", haproxy != null ? version() : "not installed (" + HAPROXY + "): apt-get install haproxy");
                    out.put("proxyStats", proxy.stats().toString());
                } finally {
                    if (floor != null) {
                        floor.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                    if (haproxy != null) {
                        haproxy.destroy();
                        haproxy.waitFor(5, TimeUnit.SECONDS);
                        haproxy.destroyForcibly();
                    }
                }
            }
            backends.forEach(Thread::interrupt);
        }
        System.out.println(toJson(out, ""));
    }

    private static final int HAPROXY_PORT;

    static {
        try {
            HAPROXY_PORT = freePort();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- backends ------------------------------------------------------------------------

    /**
     * One backend port: a connection that starts with "GET" gets a tiny HTTP answer; any other is
     * an upload, read to its end and answered with its length (8 bytes).
     */
    private static Thread backend(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    serve(s); // HTTP inline (no thread per request); an upload moves to a thread of its own

                } catch (IOException e) {
                    return;
                }
            }
        }, "backend-" + port);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void serve(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            int n = in.read(b);
            if (n >= 3 && b[0] == 'G' && b[1] == 'E' && b[2] == 'T') {
                try (s) {
                    int seen = n;
                    while (!endsHeaders(b, seen) && (n = in.read(b, seen, b.length - seen)) > 0) {
                        seen += n;
                    }
                    s.getOutputStream().write(RESPONSE);
                }
                return;
            }
            long first = Math.max(n, 0);
            Thread upload = new Thread(() -> countUpload(s, first));
            upload.setDaemon(true);
            upload.start();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void countUpload(Socket s, long first) {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] b = new byte[256 * 1024];
            long total = first;
            for (int n; (n = in.read(b)) > 0; ) {
                total += n;
            }
            s.getOutputStream().write(java.nio.ByteBuffer.allocate(8).putLong(total).array());
        } catch (IOException e) {
            // the client went away
        }
    }

    private static boolean endsHeaders(byte[] b, int n) {
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    // ---- loads ---------------------------------------------------------------------------

    /** Uploads {@code mib} MiB on one connection; MiB/s until the backend's count came back. */
    private static double bulk(int port, int mib) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        long total = (long) mib * 1024 * 1024;
        long start = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
            }
            s.shutdownOutput();
            byte[] count = s.getInputStream().readNBytes(8);
            if (java.nio.ByteBuffer.wrap(count).getLong() != total) {
                throw new IOException("the backend counted " + Arrays.toString(count));
            }
        }
        return mib / ((System.nanoTime() - start) / 1e9);
    }

    /** Latencies of fresh-connection requests, in nanoseconds, and the CPU the proxy spent on them. */
    record HttpRun(long[] latencies, double seconds, int failures, long proxyCpuNanos) {
        double perSecond() {
            return latencies.length / seconds;
        }

        double percentile(int p) {
            return latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1, latencies.length * p / 100)];
        }

        Map<String, Object> json(HttpRun loopback) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestsPerSecond", Math.round(perSecond()));
            m.put("failures", failures);
            if (proxyCpuNanos > 0) {
                // Independent of what else the machine runs: the proxy's own cost per request.
                m.put("proxyCpuMicrosPerRequest", round(proxyCpuNanos / 1e3 / Math.max(1, latencies.length)));
            }
            m.put("p50Micros", round(percentile(50) / 1000));
            m.put("p99Micros", round(percentile(99) / 1000));
            if (loopback != null) {
                m.put("addedP50Micros", round((percentile(50) - loopback.percentile(50)) / 1000));
                m.put("addedP99Micros", round((percentile(99) - loopback.percentile(99)) / 1000));
            }
            return m;
        }
    }

    private static HttpRun http(int port, int clients, int seconds, LongSupplier cpu) throws InterruptedException {
        long cpu0 = cpu.getAsLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> perThread = new ArrayList<>();
        int[] failures = new int[clients];
        int[] counts = new int[clients];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[2_000_000];
            perThread.add(lat);
            int me = c;
            Thread t = new Thread(() -> {
                byte[] buf = new byte[512];
                while (System.nanoTime() < end && counts[me] < lat.length) {
                    long t0 = System.nanoTime();
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setTcpNoDelay(true);
                        s.getOutputStream().write(REQUEST);
                        InputStream in = s.getInputStream();
                        int got = 0;
                        for (int n; (n = in.read(buf, got, buf.length - got)) > 0; ) {
                            got += n;
                        }
                        if (got != RESPONSE.length) {
                            failures[me]++;
                            continue;
                        }
                    } catch (IOException e) {
                        failures[me]++;
                        continue;
                    }
                    lat[counts[me]++] = System.nanoTime() - t0;
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perThread.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new HttpRun(all, elapsed, Arrays.stream(failures).sum(), cpu.getAsLong() - cpu0);
    }

    // ---- HAProxy -------------------------------------------------------------------------

    private static Process startHaproxy(int base, int threads) throws Exception {
        if (!Files.isExecutable(HAPROXY)) {
            return null;
        }
        Path config = Files.createTempFile("tspm-bench-haproxy", ".cfg");
        config.toFile().deleteOnExit();
        Files.writeString(config, String.join("\n",
                "global", "  maxconn 5000", "  nbthread " + threads,
                "defaults", "  mode tcp", "  timeout connect 2s", "  timeout client 60s", "  timeout server 60s",
                "listen bench", "  bind 127.0.0.1:" + HAPROXY_PORT, "  balance roundrobin",
                "  server b0 127.0.0.1:" + base, "  server b1 127.0.0.1:" + (base + 1), ""));
        Process p = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitListening(p, HAPROXY_PORT, "HAProxy");
        return p;
    }

    /** The floor proxy, built from its C source with gcc; null when either is missing or the build fails. */
    private static Process startCopyProxy(int port, int backendPort) throws Exception {
        Path gcc = Path.of("/usr/bin/gcc");
        if (!Files.isExecutable(gcc) || !Files.isRegularFile(COPY_PROXY_SOURCE)) {
            return null;
        }
        Path binary = Files.createTempFile("tspm-bench-copy-proxy", "");
        binary.toFile().deleteOnExit();
        Process cc = new ProcessBuilder(gcc.toString(), "-O2", "-o", binary.toString(), COPY_PROXY_SOURCE.toString(),
                "-lpthread").redirectErrorStream(true).start();
        String said = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cc.waitFor() != 0) {
            // the floor is optional: the JSON says it was not built, the rest is measured
            System.err.println("gcc could not build " + COPY_PROXY_SOURCE + ": " + said);
            return null;
        }
        Process p = new ProcessBuilder(binary.toString(), String.valueOf(port), String.valueOf(backendPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitListening(p, port, "the copy proxy");
        return p;
    }

    /** Returns once {@code port} takes a connection; kills {@code p} and fails after 10 seconds. */
    private static void awaitListening(Process p, int port, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20); // waiting for it to listen
            }
        }
        p.destroyForcibly();
        throw new IOException(what + " did not listen on " + port);
    }

    private static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(HAPROXY.toString(), "-v").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElse("?");
        p.waitFor();
        return first;
    }

    // ---- CPU -----------------------------------------------------------------------------

    /** CPU time of this JVM's proxy event loops (threads named tspm-proxy-...). */
    private static long proxyThreadsCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("tspm-proxy-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** CPU time of every thread of a process, from /proc (Linux; 0 elsewhere). */
    private static long processCpuNanos(long pid) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                sum += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    // ---- helpers -------------------------------------------------------------------------

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A port p with p + 1 free too (the group's two instances take basePort and basePort + 1). */
    private static int freePair() throws IOException {
        for (int k = 0; k < 100; k++) {
            int p = freePort();
            if (p < 65535) {
                try (ServerSocket next = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two free ports in a row");
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    private static String toJson(Map<String, Object> m, String indent) {
        String inner = indent + "  ";
        return m.entrySet().stream().map(e -> {
            Object v = e.getValue();
            String value = v instanceof Map ? toJson((Map<String, Object>) v, inner)
                    : v instanceof String str ? "\"" + str.replace("\"", "'") + "\"" : String.valueOf(v);
            return inner + "\"" + e.getKey() + "\": " + value;
        }).collect(Collectors.joining(",\n", "{\n", "\n" + indent + "}"));
    }
}
