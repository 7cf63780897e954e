package io.tspm.examples.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * tspm through its public API: {@link PeerHost} in a fresh JVM ({@code java}, with {@code jvmArgs}
 * before the class path), on this JVM's class path. What the supervisor logs about its launch
 * path goes into the report as it was written.
 */
final class TspmContender implements Contender {

    private final Path java;
    private final List<String> jvmArgs;
    private final Map<String, String> host = new LinkedHashMap<>();
    private final List<String> launchLog = new ArrayList<>();

    TspmContender(Path java, List<String> jvmArgs) {
        this.java = java;
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    /** {@code --java}: a java binary or a JDK's home; the default is the JVM that runs the benchmark. */
    static Path resolveJava(String given) {
        if (given == null) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Path p = Path.of(given);
        return Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
    }

    @Override
    public String name() {
        return "tspm";
    }

    @Override
    public String missing() {
        return Files.isExecutable(java) ? null : "--java " + java + " is not an executable java (expected a JDK home or its bin/java)";
    }

    @Override
    public synchronized Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("what", "io.tspm.Supervisor in a fresh JVM (PeerHost), driven over stdin");
        d.put("java", java.toString());
        d.put("host", new LinkedHashMap<>(host));
        d.put("jvmArgs", jvmArgs);
        d.put("launchLog", List.copyOf(launchLog));
        return d;
    }

    @Override
    public Session open(Path dir, Workloads w) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerHost.class.getName(),
                Files.createDirectories(dir.resolve("logs")).toString()));
        Path err = dir.resolve("tspm.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        LineChannel ch = new LineChannel(p, "tspm");
        Session session = new Session() {
            @Override
            public long supervisorPid() {
                return p.pid();
            }

            @Override
            public CompletableFuture<?> startSleepers(int n) {
                return ch.send("start " + Workloads.sleepGroup(n) + " " + n + " " + String.join(" ", w.sleeper()));
            }

            @Override
            public CompletableFuture<?> stopSleepers(int n) {
                return ch.send("remove " + Workloads.sleepGroup(n));
            }

            @Override
            public Path startWriter() {
                ch.send("lines " + Workloads.WRITER + " " + String.join(" ", w.writer()));
                return dir.resolve("logs").resolve(Workloads.WRITER + "-0.out.log");
            }

            @Override
            public CompletableFuture<?> forgetWriter() {
                return ch.send("remove " + Workloads.WRITER);
            }

            @Override
            public void close() {
                List<ProcessHandle> tree = ProcTree.descendants(p.pid());
                ch.closeInput();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ProcTree.killTree(p.pid());
                tree.forEach(ProcessHandle::destroyForcibly);
                noteLaunchLog(err);
            }
        };
        try {
            String hello = ch.greeting().get(60, TimeUnit.SECONDS);
            synchronized (this) {
                for (String kv : hello.trim().split(" ")) { // "java=25.0.1 tspm.launch=jdk"
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        host.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        } catch (Exception e) {
            session.close();
            throw new IOException("tspm's host JVM did not start (see " + err + "): " + e.getMessage(), e);
        }
        return session;
    }

    /** Lines of the host's log that speak of the launch path, once (each round logs the same). */
    private synchronized void noteLaunchLog(Path err) {
        try {
            for (String line : Files.readAllLines(err)) {
                String l = line.toLowerCase(Locale.ROOT);
                if ((l.contains("launch") || l.contains("posix_spawn") || l.contains("native"))
                        && !launchLog.contains(line.replaceFirst("^\\S+ ", ""))) {
                    launchLog.add(line.replaceFirst("^\\S+ ", ""));
                }
            }
        } catch (IOException e) {
            // no log: nothing to note
        }
    }
}
