package io.tspm.examples.helpers;

import io.tspm.DependencyCondition;
import io.tspm.Hook;
import io.tspm.LogSettings;
import io.tspm.ProcessSpec;
import io.tspm.healthcheck.Probes;
import io.tspm.junit.TspmExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.event.Level;

/**
 * The PostgreSQL recipe: {@code initdb} into a temporary directory as a one-shot task, then
 * {@code postgres} on a free port once it completed, ready when it says so; as the {@code postgres}
 * user when the tests run as root (PostgreSQL refuses to run as root); the directory removed after
 * the server stopped. {@link #shared()} shares one server with every test class of the run.
 */
public final class Postgres {

    /** The user PostgreSQL runs as when the tests run as root. */
    public static final String USER = "postgres";

    private Postgres() {
    }

    /** {@code program} on the PATH, else in Debian's {@code /usr/lib/postgresql/<version>/bin}, newest first. */
    public static Optional<Path> program(String program) {
        List<Path> debian = new ArrayList<>();
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> debian.add(v.resolve("bin")));
            } catch (IOException e) {
                // no Debian layout
            }
        }
        return Programs.find(program, debian);
    }

    /** Why the PostgreSQL tests cannot run here, or empty when they can. */
    public static Optional<String> missing() {
        if (program("initdb").isEmpty() || program("postgres").isEmpty()) {
            return Optional.of("initdb and postgres are neither on the PATH nor in /usr/lib/postgresql/*/bin: install the"
                    + " Debian package postgresql to run this test");
        }
        if (runsAsRoot() && owner().isEmpty()) {
            return Optional.of("the tests run as root and there is no user '" + USER + "' to run PostgreSQL as: install"
                    + " the Debian package postgresql, which creates it");
        }
        return Optional.empty();
    }

    /** The two helpers: the one-shot {@code initdb} and the {@code postgres} server depending on it. */
    public static List<ProcessSpec> specs(Path dir) {
        Path data = dir.resolve("data");
        ProcessSpec.Builder initdb = ProcessSpec.builder("initdb")
                .command(program("initdb").orElseThrow().toString(), "-D", data.toString(), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--no-sync")
                .oneShot(true)
                .logs(LogSettings.builder().stderrLevel(Level.INFO).build());
        ProcessSpec.Builder postgres = ProcessSpec.builder("postgres")
                .command(program("postgres").orElseThrow().toString(), "-D", data.toString(), "-p", "{port}",
                        "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
                .freePorts()
                .addDependency("initdb", DependencyCondition.COMPLETED)
                .readinessProbe(Probes.logLine("database system is ready to accept connections").failOn("FATAL"))
                .logs(LogSettings.builder().stderrLevel(Level.INFO).build()) // PostgreSQL logs everything to stderr
                .postStop(Hook.callback(ctx -> deleteTree(dir)));
        if (runsAsRoot()) {
            initdb.user(USER);
            postgres.user(USER);
        }
        return List.of(initdb.build(), postgres.build());
    }

    /** A PostgreSQL for one class (a static field) or one test (an instance field). */
    public static TspmExtension perClass() {
        return builder(newDirectory()).build();
    }

    /** One PostgreSQL for every test class of the run that uses it; stopped when the run ends. */
    public static TspmExtension shared() {
        return builder(SharedDirectory.DIR).shared("postgresql").build();
    }

    private static TspmExtension.Builder builder(Path dir) {
        TspmExtension.Builder b = TspmExtension.builder().supervisor(s -> s.startTimeout(Duration.ofSeconds(60)));
        specs(dir).forEach(b::addProcess);
        return b;
    }

    /** The JDBC URL of the server on {@code port}. */
    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The shared server's directory: one per JVM, so every class declares equal specs. */
    private static final class SharedDirectory {
        static final Path DIR = newDirectory();
    }

    /** A new temporary directory PostgreSQL may write in (given to its user when running as root). */
    public static Path newDirectory() {
        try {
            Path dir = Files.createTempDirectory("tspm-pg-");
            Optional<UserPrincipal> owner = runsAsRoot() ? owner() : Optional.empty();
            if (owner.isPresent()) {
                Files.setOwner(dir, owner.get());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Optional<UserPrincipal> owner() {
        try {
            return Optional.of(Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
