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
 * Turns a spec and an instance id into a {@link Launch}: the environment (inherited, env
 * file, overrides, instance id and port), the working directory, the program checked on the child's
 * {@code PATH}, the platform's wrappers, and only the pipes the spec needs. Everything that can be
 * checked before the spawn is, so a missing program or directory fails with a plain reason.
 *
 * <p>{@code argv[0]} stays as the user wrote it ({@code sleep}, not {@code /usr/bin/sleep}), so
 * {@code ps} and {@code pgrep -f '^sleep'} see what the user wrote. The exec must then find the
 * same file as the check: the wrappers ({@code setsid}, {@code nice}, {@code setpriv}) execvp
 * their argument in the child's environment, as the check does; without a wrapper the JDK looks a
 * bare name up on the JVM's own {@code PATH}, so the name is kept only where that finds the same file.
 */
final class LaunchPlan {

    /** Where a bare name is looked for when the environment has no PATH and libc's own default is unknown. */
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

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

    /** What a spawn needs: the builder (command, directory, redirects) and the environment, which the spawner applies. */
    record Launch(ProcessBuilder builder, ChildEnvironment environment) {
    }

    static Launch build(ProcessSpec spec, int instanceId, java.util.OptionalInt port, Platform platform,
            boolean pdeathsig, io.tspm.spi.SpawnContext spawnContext, ProgramCache cache,
            ChildEnvironment.Bases bases) throws SpawnFailure {
        return build(spec, instanceId, port, platform, pdeathsig, spawnContext, cache, bases, false);
    }

    /**
     * @param nativeSpawn whether the spawner starts the session itself (no {@code setsid} exec) and looks
     *                    the program up on the child's PATH, as a wrapper's execvp does
     */
    static Launch build(ProcessSpec spec, int instanceId, java.util.OptionalInt port, Platform platform,
            boolean pdeathsig, io.tspm.spi.SpawnContext spawnContext, ProgramCache cache,
            ChildEnvironment.Bases bases, boolean nativeSpawn) throws SpawnFailure {
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

        ChildEnvironment env = environment(spec, instanceId, port, base, spawnContext, bases);

        List<String> argv = new ArrayList<>(spec.argv());
        for (int i = 0; i < argv.size(); i++) {
            argv.set(i, Placeholders.expand(argv.get(i), spec.name(), instanceId, port, i == 0 ? "the program"
                    : "argument " + i + " ('" + argv.get(i) + "')"));
        }
        if (spec.kind() == ProcessSpec.Kind.SCRIPT) {
            Path script = base.resolve(spec.script().orElseThrow());
            if (!Files.isRegularFile(script)) {
                throw new SpawnFailure("script " + script + " does not exist or is not a file");
            }
            if (spec.interpreter().isEmpty()) {
                checkRunsDirectly(script);
                argv.set(0, asPath(spec.script().get().toString())); // a file here, never a name on PATH
            }
        }

        List<String> command;
        try {
            if (spec.user().isPresent()) {
                String why = Platform.cannotSwitchUser();
                if (why != null) {
                    throw new SpawnFailure("process '" + spec.name() + "' is to run as user '" + spec.user().get()
                            + "', but " + why);
                }
            }
            command = new ArrayList<>(platform.wrapperPrefix(spec.nice(), pdeathsig, spec.user().orElse(null),
                    spec.group().orElse(null), !nativeSpawn));
        } catch (IllegalStateException e) {
            throw new SpawnFailure(e.getMessage());
        }
        // The native spawner looks the name up on the child's PATH, as a wrapper's execvp does.
        argv.set(0, program(argv.get(0), base, env.get("PATH"), !command.isEmpty() || nativeSpawn, platform,
                cache));
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
        return new Launch(pb, env);
    }

    /**
     * The environment an instance gets: the supervisor's own (when inherited), the env file, the
     * spec's variables with their placeholders expanded, the removals, the probes' variables, and
     * the supervisor's (name, instance id, port). The inherited part is shared between spawns.
     */
    static ChildEnvironment environment(ProcessSpec spec, int instanceId, java.util.OptionalInt port, Path base,
            io.tspm.spi.SpawnContext spawnContext, ChildEnvironment.Bases bases) throws SpawnFailure {
        ChildEnvironment env = new ChildEnvironment(spec.inheritEnvironment()
                ? bases.inherited(spec.removedEnvironment()) : ChildEnvironment.Base.EMPTY);
        if (spec.envFile().isPresent()) {
            Path file = base.resolve(spec.envFile().get());
            try {
                for (Map.Entry<String, String> e : Dotenv.read(file).entrySet()) {
                    put(env, e.getKey(), e.getValue(), "env file " + file);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new SpawnFailure("env file " + file + " does not exist");
            } catch (IOException e) {
                throw new SpawnFailure("cannot read env file " + file + ": " + e, e);
            } catch (Dotenv.DotenvException e) {
                throw new SpawnFailure(e.getMessage(), e);
            }
        }
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            put(env, e.getKey(), Placeholders.expand(e.getValue(), spec.name(), instanceId, port,
                    "env " + e.getKey()), "process '" + spec.name() + "'");
        }
        for (String removed : spec.removedEnvironment()) {
            env.remove(removed);
        }
        for (io.tspm.ProbeSettings probe : spec.probes()) {
            for (Map.Entry<String, String> e : probe.probe().environment(spawnContext).entrySet()) {
                put(env, e.getKey(), e.getValue(), "probe " + probe.probe().describe());
            }
        }
        env.put(ProcessSpec.PROCESS_NAME_VAR, spec.name());
        env.put(spec.instanceVar(), Integer.toString(instanceId));
        if (port.isPresent()) {
            env.put(spec.portVar(), Integer.toString(port.getAsInt()));
        }
        return env;
    }

    private static void put(ChildEnvironment env, String key, String value, String from) throws SpawnFailure {
        try {
            env.put(key, value);
        } catch (IllegalArgumentException e) {
            throw new SpawnFailure(from + ": " + e.getMessage());
        }
    }

    /**
     * What to exec for {@code given} once it is checked: the name as given wherever the exec finds
     * the very file the check found, else that file's path.
     *
     * @param childPath the child's PATH, null when its environment has none
     * @param wrapped   whether a wrapper execvp's the program (in the child's environment)
     */
    static String program(String given, Path base, String childPath, boolean wrapped, Platform platform,
            ProgramCache cache) throws SpawnFailure {
        if (!isBare(given)) {
            cache.resolved(given, base, null, false);
            return given; // the exec resolves it against the child's working directory, as the check did
        }
        String libcPath = childPath == null ? platform.libcDefaultPath() : null;
        String searched = childPath != null ? childPath : libcPath != null ? libcPath : DEFAULT_PATH;
        String found = cache.resolved(given, base, searched, childPath == null);
        if (wrapped) {
            // execvp searches the child's PATH, or without one libc's default: the same as the check
            return childPath != null || libcPath != null ? given : found;
        }
        String jvmPath = System.getenv("PATH");
        if (jvmPath != null) {
            try {
                if (Files.isSameFile(Paths.get(cache.resolved(given, base, jvmPath, false)), Paths.get(found))) {
                    return given;
                }
            } catch (SpawnFailure | IOException notThere) {
                // the JDK would not find it: exec the file found
            }
        }
        return found;
    }

    private static boolean isBare(String program) {
        return program.indexOf('/') < 0 && program.indexOf(File.separatorChar) < 0;
    }

    /** A script path as exec takes it: {@code job.sh} alone would be a name looked up on PATH. */
    private static String asPath(String script) {
        return isBare(script) ? "." + File.separator + script : script;
    }

    /**
     * A script with no interpreter runs as a program itself; one that cannot says what would run it,
     * rather than a bare "permission denied".
     */
    private static void checkRunsDirectly(Path script) throws SpawnFailure {
        if (Files.isExecutable(script)) {
            return;
        }
        String file = script.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String known = dot > 0 ? "no interpreter is known for '" + file.substring(dot) + "' files"
                : "no interpreter is known for a script without an extension";
        throw new SpawnFailure(known + ", and " + script
                + " is not executable: name one with interpreter(...), or make the script an executable file that"
                + " starts with a '#!' line");
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
     * executable match on {@code path}, the way execvp looks it up.
     *
     * @param defaultPath whether {@code path} stands in for a PATH the environment lacks
     */
    static String resolveProgram(String program, Path base, String path, boolean defaultPath) throws SpawnFailure {
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
            throw new SpawnFailure("permission denied: '" + program + "' was found on "
                    + (defaultPath ? "the default search path" : "PATH") + " but is not executable");
        }
        throw new SpawnFailure("no such executable: '" + program + "' is not on " + (defaultPath
                ? "the default search path (" + searched + "; the environment has no PATH)"
                : "PATH (" + searched + ")"));
    }
}
