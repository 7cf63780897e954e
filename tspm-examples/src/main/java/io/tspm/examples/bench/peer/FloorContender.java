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

/**
 * The fork/exec floor: {@code peer-floor.c} (a loop of posix_spawn with POSIX_SPAWN_SETSID, a
 * signalfd for exits, a killed child respawned at once), compiled with gcc into the work
 * directory. Its writer child writes its own file: the anchor of the output workload.
 */
final class FloorContender implements Contender {

    private final Path workDir;
    private Path binary;

    FloorContender(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public String missing() {
        return PeerBenchmark.which("gcc") == null ? "gcc not found (apt-get install -y gcc)" : null;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("what", "peer-floor.c: posix_spawn per child (POSIX_SPAWN_SETSID, stdio on /dev/null), SIGCHLD "
                + "through a signalfd, respawn at once; the writer's stdout opened on the log file itself");
        d.put("binary", String.valueOf(binary));
        return d;
    }

    private synchronized Path binary() throws IOException, InterruptedException {
        if (binary == null) {
            Path src = workDir.resolve("peer-floor.c");
            try (InputStream in = FloorContender.class.getResourceAsStream("peer-floor.c")) {
                Files.copy(in, src, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path out = workDir.resolve("peer-floor");
            Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", out.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes());
            if (gcc.waitFor() != 0) {
                throw new IOException("gcc failed on " + src + ":\n" + log);
            }
            binary = out;
        }
        return binary;
    }

    @Override
    public Session open(Path dir, Workloads w) throws Exception {
        Process p = new ProcessBuilder(binary().toString()).redirectError(dir.resolve("floor.err").toFile()).start();
        LineChannel ch = new LineChannel(p, "floor");
        return new Session() {
            private final Path log = dir.resolve("floor-lines.log");

            @Override
            public long supervisorPid() {
                return p.pid();
            }

            @Override
            public CompletableFuture<?> startSleepers(int n) {
                return ch.send("start " + n + " " + String.join(" ", w.sleeper()));
            }

            @Override
            public CompletableFuture<?> stopSleepers(int n) {
                return ch.send("stop");
            }

            @Override
            public Path startWriter() {
                List<String> cmd = new ArrayList<>(List.of("lines", log.toString()));
                cmd.addAll(w.writer());
                ch.send(String.join(" ", cmd));
                return log;
            }

            @Override
            public CompletableFuture<?> forgetWriter() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
                List<ProcessHandle> tree = ProcTree.descendants(p.pid());
                ch.closeInput();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ProcTree.killTree(p.pid());
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        };
    }
}
