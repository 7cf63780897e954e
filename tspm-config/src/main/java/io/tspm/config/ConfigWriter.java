package io.tspm.config;

import io.tspm.ProcessGroup;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import io.tspm.config.internal.SpecWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes specs as YAML or JSON of the same format {@link TspmConfig} reads: every setting that
 * is not the default, so the file loads back into equal specs (what save and resurrect need).
 * Probes are written by the type that made them; a Java callback (a hook, a probe of no known
 * type) cannot be written and is refused naming the process.
 */
public final class ConfigWriter {

    private ConfigWriter() {
    }

    /** The specs of a running supervisor as they run now (scaled, applied). */
    public static List<ProcessSpec> specsOf(Supervisor supervisor) {
        List<ProcessSpec> specs = new ArrayList<>();
        for (ProcessGroup g : supervisor.groups()) {
            specs.add(g.spec());
        }
        return specs;
    }

    /** {@code specs} as YAML. */
    public static String toYaml(List<ProcessSpec> specs) {
        return toYaml(SupervisorSettings.NONE, specs);
    }

    /** The supervisor settings and {@code specs} as YAML. */
    public static String toYaml(SupervisorSettings supervisor, List<ProcessSpec> specs) {
        return SpecWriter.yaml(SpecWriter.document(supervisor, specs));
    }

    /** {@code specs} as JSON. */
    public static String toJson(List<ProcessSpec> specs) {
        return toJson(SupervisorSettings.NONE, specs);
    }

    /** The supervisor settings and {@code specs} as JSON. */
    public static String toJson(SupervisorSettings supervisor, List<ProcessSpec> specs) {
        return SpecWriter.json(SpecWriter.document(supervisor, specs));
    }

    /**
     * Writes {@code specs} to {@code file}, as YAML or JSON by its extension, atomically (a
     * temporary file renamed over it), so a crash never leaves half a file.
     */
    public static void write(Path file, List<ProcessSpec> specs) {
        ConfigFormat format = ConfigFormat.of(file);
        String text = format == ConfigFormat.YAML ? toYaml(specs) : toJson(specs);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".tspm-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
