package io.tspm.config;

import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loaded configuration: its processes as {@link ProcessSpec}s, its supervisor settings, and a
 * {@link Supervisor.Builder} holding both, so code can add to what a file declares.
 *
 * <pre>{@code
 * try (Supervisor s = TspmConfig.load(Path.of(".")).supervisorBuilder().build()) {
 *     s.start();
 * }
 * }</pre>
 *
 * {@link #load(Path)} reads {@code .yaml}/{@code .yml}, {@code .json}, {@code .jsonc} and PM2
 * ecosystem files ({@code .json}, or a literal {@code ecosystem.config.js}); a directory is searched
 * for {@code tspm.yaml}, {@code tspm.yml}, {@code tspm.json}, {@code tspm.jsonc}, then
 * {@code ecosystem.config.json}, {@code ecosystem.json}, {@code ecosystem.config.js}. Every problem
 * of a file is reported at once in a {@link ConfigException}.
 */
public final class TspmConfig {

    private final String source;
    private final List<ProcessSpec> processes;
    private final SupervisorSettings supervisor;
    private final List<ConfigProblem> warnings;
    private final List<Webhook> webhooks;

    TspmConfig(String source, List<ProcessSpec> processes, SupervisorSettings supervisor,
            List<ConfigProblem> warnings, List<Webhook> webhooks) {
        this.source = source;
        this.webhooks = List.copyOf(webhooks);
        this.processes = List.copyOf(processes);
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.warnings = List.copyOf(warnings);
    }

    /** Loads a file, or the configuration a directory holds, with the host environment and no profile. */
    public static TspmConfig load(Path fileOrDirectory) {
        return loader().load(fileOrDirectory);
    }

    /** Parses {@code text} written in {@code format}, with the host environment and no profile. */
    public static TspmConfig parse(String text, ConfigFormat format) {
        return loader().parse(text, format);
    }

    /** A loader, to choose the profile or the variables {@code ${VAR}} is filled from. */
    public static ConfigLoader loader() {
        return new ConfigLoader();
    }

    /** The file (or the label of a string) it was loaded from. */
    public String source() {
        return source;
    }

    /** The processes, in file order. */
    public List<ProcessSpec> processes() {
        return processes;
    }

    /** The {@code supervisor:} section. */
    public SupervisorSettings supervisor() {
        return supervisor;
    }

    /** The {@code webhooks:} section: hand it to a {@link WebhookSender}. */
    public List<Webhook> webhooks() {
        return webhooks;
    }

    /** What was loaded but deserves a look (PM2 fields not carried, a default port chosen). */
    public List<ConfigProblem> warnings() {
        return warnings;
    }

    /** A new builder with the supervisor settings and every process: add to it, then build. */
    public Supervisor.Builder supervisorBuilder() {
        Supervisor.Builder b = supervisor.applyTo(Supervisor.builder());
        processes.forEach(b::addProcess);
        return b;
    }

    @Override
    public String toString() {
        return "TspmConfig{" + source + ": " + processes.size() + " processes" + (warnings.isEmpty() ? ""
                : ", " + warnings.size() + " warnings") + "}";
    }
}
