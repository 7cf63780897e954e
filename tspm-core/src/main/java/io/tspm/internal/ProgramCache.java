package io.tspm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The programs earlier spawns found ({@link LaunchPlan#resolveProgram}): the PATH walk and the
 * {@code #!} check cost a launcher thread several system calls on every spawn. A file found is
 * taken again while it is executable and its modification time has not moved (one stat each), so
 * a script whose interpreter line changed is checked again. Bounded: past {@value #MAX} answers,
 * new ones are not kept.
 */
final class ProgramCache {

    private static final int MAX = 1000;

    private record Found(Path file, String name, long mtime) {
    }

    private final Map<ProgramKey, Found> found = new ConcurrentHashMap<>();

    /**
     * The absolute path of {@code program} as {@link LaunchPlan#resolveProgram} finds it on
     * {@code path} (relative entries against {@code base}).
     */
    String resolved(String program, Path base, String path, boolean defaultPath) throws LaunchPlan.SpawnFailure {
        ProgramKey q = new ProgramKey(program, path, base);
        Found hit = found.get(q);
        if (hit != null && Files.isExecutable(hit.file) && mtime(hit.file) == hit.mtime) {
            return hit.name; // unchanged since its #! was checked
        }
        String name = LaunchPlan.resolveProgram(program, base, path, defaultPath);
        if (found.size() < MAX) {
            Path file = Path.of(name);
            found.put(q, new Found(file, name, mtime(file)));
        }
        return name;
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }
}
