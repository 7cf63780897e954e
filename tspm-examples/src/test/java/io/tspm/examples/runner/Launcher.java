package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the assembled launcher ({@code target/tspm/bin/tspm}) as a user types it, in a directory of
 * the test's own, with a mark in the environment every process it starts inherits, so a test can
 * tell that none is left behind.
 */
final class Launcher {

    final Path dir;
    final String mark = "tspm-e2e-" + UUID.randomUUID();
    /** More environment for every command. */
    final Map<String, String> extraEnv = new java.util.HashMap<>();

    Launcher(Path dir) {
        this.dir = dir;
    }

    static Path path() {
        String p = System.getProperty("tspm.launcher");
        Path launcher = p != null ? Path.of(p) : Path.of("target", "tspm", "bin", "tspm");
        assertThat(launcher).as("the launcher (built by the package phase)").isExecutable();
        return launcher.toAbsolutePath();
    }

    /** The outcome of one command. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(path().toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        env(pb.environment());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("tspm " + String.join(" ", args) + " did not end within 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** Starts a command that runs until it ends by itself or is killed ({@code dev}, {@code logs --follow}); stdout and stderr to {@code out}. */
    Process spawn(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(path().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        env(pb.environment());
        return pb.start();
    }

    void env(Map<String, String> env) {
        env.remove("TSPM_HOME");
        env.put("TSPM_E2E_MARK", mark);
        env.putAll(extraEnv);
    }

    /** The pids of live processes whose environment holds this launcher's mark (zombies left out). */
    List<Long> marked() {
        List<Long> pids = new ArrayList<>();
        byte[] needle = ("TSPM_E2E_MARK=" + mark).getBytes(StandardCharsets.UTF_8);
        try (var stream = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) stream::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                        continue;
                    }
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (indexOf(env, needle) >= 0) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException gone) {
                    // Ended while we looked.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Kills what is left with this mark (a failed test must not leak either). */
    void killLeftovers() {
        for (long pid : marked()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
