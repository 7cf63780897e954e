package io.tspm.internal;

import io.tspm.ProcessSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a spec and an instance id into a {@link ProcessBuilder}: the environment (inherited, env
 * file, overrides, instance id and port), the working directory, the program found on the child's
 * {@code PATH}, the platform's wrappers, and only the pipes the spec needs. Everything that can be
 * checked before the spawn is, so a missing program or directory fails with a plain reason.
 */
final class LaunchPlan {

    /** A spawn that cannot happen, with the reason a user can act on. */
    static final class SpawnFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SpawnFailure(String reason) {
            super(reason);
        }

        SpawnFailure(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private LaunchPlan() {
    }

    static ProcessBuilder build(ProcessSpec spec, int instanceId, java.util.OptionalInt port, Platform platform,
            boolean pdeathsig,
            io.tspm.spi.SpawnContext spawnContext, java.util.Map<String, String> cache) throws SpawnFailure {
        ProcessBuilder pb = new ProcessBuilder();
        Path dir = spec.workingDirectory().orElse(null);
        if (dir != null) {
            if (!Files.exists(dir)) {
                throw new SpawnFailure("working directory " + dir + " does not exist");
            }
            if (!Files.isDirectory(dir)) {
                throw new SpawnFailure("working directory " + dir + " is not a directory");
            }
            pb.directory(dir.toFile());
        }
        Path base = dir != null ? dir : Paths.get("").toAbsolutePath();

        Map<String, String> env = pb.environment();
        if (!spec.inheritEnvironment()) {
            env.clear();
        }
        if (spec.envFile().isPresent()) {
            Path file = base.resolve(spec.envFile().get());
            try {
                env.putAll(Dotenv.read(file));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new SpawnFailure("env file " + file + " does not exist");
            } catch (IOException e) {
                throw new SpawnFailure("cannot read env file " + file + ": " + e, e);
            } catch (Dotenv.DotenvException e) {
                throw new SpawnFailure(e.getMessage(), e);
            }
        }
        env.putAll(spec.environment());
        spec.removedEnvironment().forEach(env::remove);
        for (io.tspm.ProbeSettings probe : spec.probes()) {
            env.putAll(probe.probe().environment(spawnContext));
        }
        env.put(ProcessSpec.PROCESS_NAME_VAR, spec.name());
        env.put(spec.instanceVar(), Integer.toString(instanceId));
        port.ifPresent(p -> env.put(spec.portVar(), Integer.toString(p)));

        List<String> argv = new ArrayList<>(spec.argv());
        if (spec.kind() == ProcessSpec.Kind.SCRIPT) {
            Path script = base.resolve(spec.script().orElseThrow());
            if (!Files.isRegularFile(script)) {
                throw new SpawnFailure("script " + script + " does not exist or is not a file");
            }
        }
        argv.set(0, resolved(argv.get(0), base, env.get("PATH"), cache));

        List<String> command;
        try {
            command = new ArrayList<>(platform.wrapperPrefix(spec.nice(), pdeathsig));
        } catch (IllegalStateException e) {
            throw new SpawnFailure(e.getMessage());
        }
        command.addAll(argv);
        pb.command(command);

        File devNull = platform.devNull();
        pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
        if (!spec.captureOutput()) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        } else if (spec.mergeStderr()) {
            pb.redirectErrorStream(true);
        }
        return pb;
    }

    /**
     * {@link #resolveProgram} through a cache of earlier answers (the PATH walk and the {@code #!}
     * check cost the launcher thread on every spawn); a cached path is still checked to be
     * executable, with one stat.
     */
    static String resolved(String program, Path base, String path, java.util.Map<String, String> cache)
            throws SpawnFailure {
        String key = program + '\0' + base + '\0' + path;
        String hit = cache.get(key); // "path\0mtime"
        if (hit != null) {
            int cut = hit.lastIndexOf('\0');
            Path p = Paths.get(hit.substring(0, cut));
            if (Files.isExecutable(p) && Long.toString(mtime(p)).equals(hit.substring(cut + 1))) {
                return p.toString(); // unchanged since its #! was checked
            }
        }
        String found = resolveProgram(program, base, path);
        if (cache.size() < 1000) {
            cache.put(key, found + '\0' + mtime(Paths.get(found)));
        }
        return found;
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A script whose {@code #!} interpreter is missing would fail inside the exec wrapper with a bare
     * exit code 127; the kernel's rule checked here gives the reason instead.
     */
    static void checkShebang(Path program) throws SpawnFailure {
        byte[] head = new byte[256];
        int n;
        try (java.io.InputStream in = Files.newInputStream(program)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return; // unreadable but executable: let exec decide
        }
        if (n < 3 || head[0] != '#' || head[1] != '!') {
            return;
        }
        String line = new String(head, 2, n - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
        int eol = line.indexOf('\n');
        String[] words = (eol < 0 ? line : line.substring(0, eol)).trim().split("[ \t]+");
        if (words.length == 0 || words[0].isEmpty() || eol < 0 && n == head.length) {
            return;
        }
        Path interpreter = Paths.get(words[0]);
        if (!Files.isExecutable(interpreter) || Files.isDirectory(interpreter)) {
            throw new SpawnFailure("bad interpreter: " + program + " starts with #!" + words[0]
                    + ", which " + (Files.exists(interpreter) ? "is not executable" : "does not exist"));
        }
    }

    /**
     * The absolute path of {@code program}: as given when it holds a '/', else the first
     * executable match on {@code path} (the child's PATH), the way execvp looks it up.
     */
    static String resolveProgram(String program, Path base, String path) throws SpawnFailure {
        if (program.indexOf('/') >= 0 || program.indexOf(File.separatorChar) >= 0) {
            Path p = base.resolve(program);
            if (!Files.exists(p)) {
                throw new SpawnFailure("no such executable: " + p);
            }
            if (Files.isDirectory(p)) {
                throw new SpawnFailure("not an executable file but a directory: " + p);
            }
            if (!Files.isExecutable(p)) {
                throw new SpawnFailure("permission denied: " + p + " is not executable");
            }
            checkShebang(p);
            return p.toString();
        }
        String searched = path == null ? "" : path;
        boolean foundNotExecutable = false;
        for (String dir : searched.split(File.pathSeparator)) {
            Path candidate = base.resolve(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    checkShebang(candidate);
                    return candidate.toString();
                }
                foundNotExecutable = true;
            }
        }
        if (foundNotExecutable) {
            throw new SpawnFailure("permission denied: '" + program + "' was found on PATH but is not executable");
        }
        throw new SpawnFailure("no such executable: '" + program + "' is not on PATH (" + searched + ")");
    }
}
