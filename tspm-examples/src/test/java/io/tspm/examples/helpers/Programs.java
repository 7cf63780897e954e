package io.tspm.examples.helpers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the programs the example helpers run, and says what to install when one is missing. */
public final class Programs {

    private Programs() {
    }

    /** {@code name} on the PATH, then in {@code extraDirs} (globs' parents as given), if executable. */
    public static Optional<Path> find(String name, List<Path> extraDirs) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return extraDirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    /** {@code name} on the PATH. */
    public static Optional<Path> find(String name) {
        return find(name, List.of());
    }

    /** A java command line running {@code main} from this test class path. */
    public static List<String> java(Class<?> main) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp", System.getProperty("java.class.path"), main.getName());
    }
}
