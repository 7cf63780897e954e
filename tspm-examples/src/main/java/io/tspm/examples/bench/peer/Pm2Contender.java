package io.tspm.examples.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PM2 through its programmatic API ({@code pm2-controller.js} under node, connected once), its
 * daemon under a private PM2_HOME in the round's directory. The sleepers are one app of N
 * instances in fork mode (PM2's defaults otherwise: a log file per instance, restart at once);
 * the writer an app run once, its out_file the log file. The daemon's memory is what counts.
 */
final class Pm2Contender implements Contender {

    private final Path packageDir;
    private final String node;

    /** {@code pm2}: the pm2 command (its package is found through the link) or null to search the PATH. */
    Pm2Contender(String pm2) {
        String cmd = pm2 != null ? pm2 : PeerBenchmark.which("pm2");
        Path dir = null;
        if (cmd != null) {
            try {
                // bin/pm2 -> .../node_modules/pm2/bin/pm2
                Path real = Path.of(cmd).toRealPath();
                dir = Files.isDirectory(real) ? real : real.getParent().getParent();
            } catch (IOException e) {
                dir = null;
            }
        }
        this.packageDir = dir != null && Files.exists(dir.resolve("package.json")) ? dir : null;
        this.node = PeerBenchmark.which("node");
    }

    @Override
    public String name() {
        return "pm2";
    }

    @Override
    public String missing() {
        if (node == null) {
            return "node not found (apt-get install -y nodejs npm, then npm install -g pm2)";
        }
        return packageDir == null ? "pm2 not found (npm install -g pm2, or --pm2 PATH to its bin/pm2)" : null;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("what", "PM2's programmatic API under node (pm2-controller.js); one app of N instances in fork mode, "
                + "interpreter none; memory of the God daemon");
        d.put("package", String.valueOf(packageDir));
        d.put("version", packageDir == null ? null : version(packageDir));
        d.put("node", node);
        return d;
    }

    /** The "version" of package.json: running pm2 --version would start a daemon. */
    static String version(Path packageDir) {
        try {
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(packageDir.resolve("package.json")));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Session open(Path dir, Workloads w) throws Exception {
        Path home = Files.createDirectories(dir.resolve("pm2-home"));
        Path script = dir.resolve("pm2-controller.js");
        try (InputStream in = Pm2Contender.class.getResourceAsStream("pm2-controller.js")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder(node, script.toString(), packageDir.toString())
                .redirectError(dir.resolve("pm2-controller.err").toFile());
        pb.environment().put("PM2_HOME", home.toString());
        Process p = pb.start();
        LineChannel ch = new LineChannel(p, "pm2");
        Path log = dir.resolve("pm2-lines.log");
        long[] daemon = {-1};
        Session session = new Session() {
            @Override
            public long supervisorPid() {
                return daemon[0];
            }

            @Override
            public CompletableFuture<?> startSleepers(int n) throws IOException {
                Path file = dir.resolve("sleep" + n + ".json");
                Files.writeString(file, "{\"apps\": [{\"name\": \"" + Workloads.sleepGroup(n) + "\", \"script\": "
                        + quote(w.sleeper().get(0)) + ", \"args\": " + quoteAll(w.sleeper().subList(1, w.sleeper().size()))
                        + ", \"interpreter\": \"none\", \"exec_mode\": \"fork\", \"instances\": " + n
                        + ", \"autorestart\": true, \"restart_delay\": 0}]}");
                return ch.send("start " + file);
            }

            @Override
            public CompletableFuture<?> stopSleepers(int n) {
                return ch.send("delete " + Workloads.sleepGroup(n));
            }

            @Override
            public Path startWriter() throws IOException {
                Path file = dir.resolve("lines.json");
                Files.writeString(file, "{\"apps\": [{\"name\": \"" + Workloads.WRITER + "\", \"script\": "
                        + quote(w.writer().get(0)) + ", \"args\": " + quoteAll(w.writer().subList(1, w.writer().size()))
                        + ", \"interpreter\": \"none\", \"autorestart\": false, \"merge_logs\": true, \"out_file\": "
                        + quote(log.toString()) + ", \"error_file\": " + quote(dir.resolve("pm2-lines.err").toString()) + "}]}");
                ch.send("start " + file);
                return log;
            }

            @Override
            public CompletableFuture<?> forgetWriter() {
                return ch.send("delete " + Workloads.WRITER);
            }

            @Override
            public void close() {
                List<ProcessHandle> tree = new ArrayList<>(ProcTree.descendants(p.pid()));
                if (daemon[0] > 0) {
                    tree.addAll(ProcTree.descendants(daemon[0]));
                }
                ch.closeInput(); // the controller kills the daemon
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (daemon[0] > 0) {
                    ProcTree.killTree(daemon[0]);
                }
                ProcTree.killTree(p.pid());
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        };
        try {
            ch.greeting().get(60, TimeUnit.SECONDS);
            daemon[0] = Long.parseLong(Files.readString(home.resolve("pm2.pid")).trim());
        } catch (Exception e) {
            try {
                daemon[0] = Long.parseLong(Files.readString(home.resolve("pm2.pid")).trim());
            } catch (IOException | NumberFormatException none) {
                // no daemon came up
            }
            session.close();
            throw new IOException("PM2 did not start (see " + dir.resolve("pm2-controller.err") + "): " + e.getMessage(), e);
        }
        return session;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String quoteAll(List<String> args) {
        List<String> q = new ArrayList<>();
        args.forEach(a -> q.add(quote(a)));
        return "[" + String.join(", ", q) + "]";
    }
}
