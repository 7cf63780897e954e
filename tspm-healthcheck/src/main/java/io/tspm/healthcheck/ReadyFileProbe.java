package io.tspm.healthcheck;

import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import io.tspm.spi.SpawnContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Passes once the child created the file named in its environment ({@code TSPM_READY_FILE}): a
 * readiness signal any language can send. The file is removed before every spawn; it lives in a
 * private directory of the supervisor's, named after the process and instance. Immutable; two
 * probes of the same variable are equal.
 */
public final class ReadyFileProbe implements BuiltInProbe {

    static final String DEFAULT_VARIABLE = "TSPM_READY_FILE";

    private final String variable;

    ReadyFileProbe(String variable) {
        this.variable = Objects.requireNonNull(variable, "variable");
    }

    /** The environment variable that tells the child the file's path (default {@code TSPM_READY_FILE}). */
    public String variable() {
        return variable;
    }

    /** {@code ready-file}. */
    @Override
    public String type() {
        return "ready-file";
    }

    @Override
    public Map<String, String> environment(SpawnContext context) {
        Path dir = context.shared(ReadyDirectory.class, ReadyDirectory::new).path;
        Path file = dir.resolve(context.processName() + "-" + context.instanceId());
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare ready file " + file, e);
        }
        return Map.of(variable, file.toString());
    }

    /** One private (0700) directory of ready files per supervisor, deleted when it closes. */
    static final class ReadyDirectory implements AutoCloseable {
        final Path path;

        ReadyDirectory() {
            try {
                path = Files.createTempDirectory("tspm-ready-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for ready files", e);
            }
        }

        @Override
        public void close() throws IOException {
            try (var files = Files.list(path)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(path);
        }
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        String path = context.environment().get(variable);
        if (path == null) {
            return CompletableFuture.completedFuture(ProbeResult.fatal("no " + variable + " in the environment"));
        }
        return CompletableFuture.completedFuture(Files.exists(Path.of(path))
                ? ProbeResult.success("ready file " + path + " exists")
                : ProbeResult.failure("ready file " + path + " not created yet"));
    }

    @Override
    public String describe() {
        return "ready file $" + variable;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadyFileProbe && variable.equals(((ReadyFileProbe) o).variable);
    }

    @Override
    public int hashCode() {
        return variable.hashCode();
    }

    /** As {@link #describe()}: the variable is all there is. */
    @Override
    public String toString() {
        return describe();
    }
}
