package io.tspm.examples.runner.cli;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.RunnerException;
import io.tspm.examples.runner.client.ControlClient;
import io.tspm.examples.runner.client.Json;
import io.tspm.examples.runner.state.StateDir;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a detached runner ({@code tspm start}): the launcher again, in a session of its own
 * ({@code setsid}), its output appended to {@code .tspm/runner.log}; then waits until the runner
 * says every process is started, or it ended, in which case the start error and the log's last
 * lines are the failure.
 */
final class Daemon {

    /** How long a start may take before the client gives up waiting (the runner goes on). */
    static final Duration WAIT = Duration.ofMinutes(5);

    private Daemon() {
    }

    /** Starts the runner; {@code out} gets the table once it runs, {@code err} the warnings it gave on the way. */
    static int launch(StateDir state, Path config, List<String> runnerArgs, PrintWriter out, PrintWriter err)
            throws Exception {
        state.create();
        Path log = state.runnerLog();
        if (state.livePid().isPresent() && Files.exists(state.port())) {
            throw new RunnerException(ExitCodes.ALREADY_RUNNING, "a runner already runs in " + state + " (pid "
                    + state.livePid().get() + "): drive it with `tspm list`, `tspm apply`, or stop it with `tspm kill`");
        }
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute()) {
            cmd.add("setsid");
        }
        cmd.addAll(launcher());
        cmd.add("__runner");
        cmd.add("--state");
        cmd.add(state.root().toString());
        cmd.addAll(runnerArgs);
        Files.deleteIfExists(state.port());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory((config != null ? config.getParent() : state.root().getParent()).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        Files.writeString(log, "=== tspm start at " + Instant.now() + ": " + String.join(" ", cmd) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        offset = Files.size(log);
        Process child = pb.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new RunnerException(ExitCodes.FAILURE, "the runner ended (exit " + child.exitValue()
                        + ") before its processes were started:\n" + tail(log, offset, 40)
                        + "(the whole log: " + log + ")");
            }
            if (Files.exists(state.port())) {
                try {
                    Object health = Json.parse(ControlClient.of(state).get("/v1/health").body());
                    if (health instanceof Map<?, ?> h && "running".equals(h.get("phase"))) {
                        // The config's and the dump's warnings (a profile that changes nothing, a damaged
                        // dump and the backup restored instead) are the user's to see, not only the log's.
                        warnings(log, offset).forEach(err::println);
                        err.flush();
                        out.println("tspm: started " + (config != null ? config : "the saved processes") + " in a runner"
                                + " of its own (pid " + h.get("pid") + "; state, logs and token in " + state + ")");
                        out.print(ControlClient.of(state).get("/v1/processes?view=text"
                                + (System.console() != null ? "&color=true" : "")).body());
                        out.flush();
                        return ExitCodes.OK;
                    }
                } catch (RunnerException e) {
                    // Not listening yet: keep waiting.
                }
            }
            Thread.sleep(50);
        }
        throw new RunnerException(ExitCodes.FAILURE, "the runner (pid " + child.pid() + ") was not started within "
                + WAIT.toMinutes() + " min; it goes on: see " + log);
    }

    /** The command that runs the launcher again: bin/tspm when we came through it, else this JVM. */
    static List<String> launcher() {
        String launcher = System.getenv("TSPM_LAUNCHER");
        if (launcher != null && new File(launcher).canExecute()) {
            return List.of(launcher);
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx128m", "-Dsun.net.httpserver.maxReqTime=10",
                "-cp", System.getProperty("java.class.path"), "io.tspm.examples.runner.Tspm");
    }

    /** The lines from {@code offset} on that the runner wrote as warnings. */
    private static List<String> warnings(Path log, long offset) throws IOException {
        return tail(log, offset, Integer.MAX_VALUE).lines().map(String::strip)
                .filter(l -> l.startsWith("warning: ")).toList();
    }

    private static String tail(Path log, long offset, int lines) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(offset, f.length() - 64 * 1024);
            f.seek(from);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            StringBuilder sb = new StringBuilder();
            for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) {
                sb.append("  ").append(l).append('\n');
            }
            return sb.toString();
        }
    }
}
