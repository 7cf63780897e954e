package io.tspm.examples.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The runner's two figures, printed as JSON: the wall time of a whole {@code tspm list} against a
 * running runner (the goal: 150 ms), and the runner's resident memory idle with 10 processes (the
 * goal: PM2's daemon, about 58 MB here), with the JVM options the launcher sets; beside
 * {@code pm2 jlist} and PM2's daemon when {@code pm2} is on the PATH.
 *
 * <p>Args: the launcher (default {@code target/tspm/bin/tspm}), then the number of list runs (default 30).
 */
public final class RunnerBenchmark {

    private RunnerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args.length > 0 ? args[0] : "target/tspm/bin/tspm").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("tspm-bench");
        StringBuilder config = new StringBuilder("processes:\n");
        for (int i = 0; i < 10; i++) {
            config.append("  - name: sleeper").append(i).append("\n    command: [sleep, '100000']\n");
        }
        Files.writeString(dir.resolve("tspm.yaml"), config);
        StringBuilder json = new StringBuilder("{\n");
        try {
            run(dir, launcher.toString(), "start", "tspm.yaml");
            long pid = Long.parseLong(Files.readString(dir.resolve(".tspm/tspm.pid")).trim());
            for (int i = 0; i < 3; i++) {
                run(dir, launcher.toString(), "list"); // page cache, JIT of nothing: warm files only
            }
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                run(dir, launcher.toString(), "list");
                times.add((System.nanoTime() - t0) / 1e6);
            }
            // The bare JVM on the same machine at the same moment: what no client can go below.
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Double> jvm = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                run(dir, java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData",
                        "-version");
                jvm.add((System.nanoTime() - t0) / 1e6);
            }
            json.append("  \"javaVersionBaseline\": ").append(stats(jvm)).append(",\n");
            // Idle: let the start-up garbage go and the sampler settle.
            Thread.sleep(15_000);
            long rss = rssKb(pid);
            json.append("  \"tspmList\": ").append(stats(times)).append(",\n");
            json.append("  \"tspmListGoalMs\": 150,\n");
            json.append("  \"runnerRssIdle10ProcessesMiB\": ").append(fmt(rss / 1024.0)).append(",\n");
            json.append("  \"runnerRssGoalMiB\": 58,\n");
            json.append("  \"runnerThreads\": ").append(threads(pid)).append(",\n");
        } finally {
            run(dir, launcher.toString(), "kill");
        }
        json.append("  \"pm2\": ").append(pm2(runs)).append(",\n");
        json.append("  \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        json.append("  \"loadAverage\": \"").append(Files.readString(Path.of("/proc/loadavg")).trim()).append("\"\n}");
        System.out.println(json);
    }

    private static String pm2(int runs) throws Exception {
        String pm2 = which("pm2");
        if (pm2 == null) {
            return "\"not installed (npm install -g pm2 to compare)\"";
        }
        Path dir = Files.createTempDirectory("pm2-bench");
        StringBuilder apps = new StringBuilder("{\"apps\": [");
        for (int i = 0; i < 10; i++) {
            apps.append(i == 0 ? "" : ",").append("{\"name\": \"sleeper").append(i)
                    .append("\", \"script\": \"sleep\", \"args\": \"100000\", \"interpreter\": \"none\"}");
        }
        Files.writeString(dir.resolve("ecosystem.json"), apps.append("]}").toString());
        try {
            run(dir, pm2, "start", "ecosystem.json");
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                run(dir, pm2, "jlist");
                times.add((System.nanoTime() - t0) / 1e6);
            }
            Thread.sleep(15_000);
            Path pidFile = Path.of(System.getProperty("user.home"), ".pm2", "pm2.pid");
            long rss = rssKb(Long.parseLong(Files.readString(pidFile).trim()));
            return "{\"jlist\": " + stats(times) + ", \"daemonRssIdle10ProcessesMiB\": " + fmt(rss / 1024.0) + "}";
        } finally {
            run(dir, pm2, "kill");
        }
    }

    private static String stats(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return "{\"runs\": " + s.size() + ", \"medianMs\": " + fmt(s.get(s.size() / 2)) + ", \"p90Ms\": "
                + fmt(s.get((int) (s.size() * 0.9))) + ", \"minMs\": " + fmt(s.get(0)) + "}";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static int threads(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) s.count();
        }
    }

    private static String which(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0 && !cmd[cmd.length - 1].equals("kill")) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: exit " + p.exitValue());
        }
    }
}
