package io.tspm.config;

import io.tspm.config.internal.ConfigBinder;
import io.tspm.config.internal.ConfigReader;
import io.tspm.config.internal.Interpolation;
import io.tspm.config.internal.Limits;
import io.tspm.config.internal.Node;
import io.tspm.config.internal.Problems;
import io.tspm.config.internal.TypeRegistry;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads configurations with chosen options: the profile ({@code env_<profile>} on top of
 * {@code env}) and the variables {@code ${VAR}} and {@code ${VAR:-default}} are filled from (the
 * host environment by default). Reusable; each load is independent.
 */
public final class ConfigLoader {

    /** The files a directory is searched for, in this order. */
    public static final List<String> DISCOVERED = List.of("tspm.yaml", "tspm.yml", "tspm.json", "tspm.jsonc",
            "ecosystem.config.json", "ecosystem.json", "ecosystem.config.js");

    private String profile;
    private Map<String, String> environment = System.getenv();

    ConfigLoader() {
    }

    /** Selects {@code env_<profile>} (PM2's {@code env_production}); none by default. */
    public ConfigLoader profile(String profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /** The variables interpolation reads (default the host environment). */
    public ConfigLoader environment(Map<String, String> variables) {
        this.environment = Map.copyOf(Objects.requireNonNull(variables, "environment"));
        return this;
    }

    /** The file found in a directory, or the file itself. */
    public static Path locate(Path fileOrDirectory) {
        if (!Files.isDirectory(fileOrDirectory)) {
            return fileOrDirectory;
        }
        for (String name : DISCOVERED) {
            Path p = fileOrDirectory.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new ConfigException(fileOrDirectory + " holds no configuration: add one of "
                + String.join(", ", DISCOVERED), (Throwable) null);
    }

    /** Loads a file, or the first of {@link #DISCOVERED} in a directory. */
    public TspmConfig load(Path fileOrDirectory) {
        Path file = locate(fileOrDirectory);
        ConfigFormat format = ConfigFormat.of(file);
        String source = file.toString();
        try {
            if (Files.size(file) > Limits.DEFAULTS.maxChars() * 4L) {
                throw new ConfigException(source, List.of(new ConfigProblem(source, 1, 1, "", "too large ("
                        + Files.size(file) + " bytes; at most " + Limits.DEFAULTS.maxChars() * 4L + ")")));
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            Path dir = file.toAbsolutePath().getParent();
            return anchored(read(new StringReader(text), format, source, dir), dir);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, List.of(new ConfigProblem(source, 1, 1, "", "not valid UTF-8: "
                    + e.getMessage())));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * A file's relative paths mean what they say wherever it is loaded from: a process without a
     * working directory runs in the file's directory, a relative one (and a relative log
     * directory) is taken from there, and the process's other paths (script, env file, watch)
     * follow its working directory as always.
     */
    private static TspmConfig anchored(TspmConfig config, Path dir) {
        List<io.tspm.ProcessSpec> specs = new java.util.ArrayList<>();
        for (io.tspm.ProcessSpec spec : config.processes()) {
            Path wd = spec.workingDirectory().map(dir::resolve).orElse(dir).normalize();
            specs.add(spec.toBuilder().workingDirectory(wd).build());
        }
        SupervisorSettings s = config.supervisor();
        if (s.logDirectory() != null && !s.logDirectory().isAbsolute()) {
            s = new SupervisorSettings(s.name(), dir.resolve(s.logDirectory()).normalize(), s.sampleInterval(),
                    s.startTimeout(), s.stopOnStartFailure(), s.shutdownHook(), s.orphanProtection(),
                    s.parentDeathSignal());
        }
        return new TspmConfig(config.source(), specs, s, config.warnings(), config.webhooks(),
                config.control(), config.metrics());
    }

    /** All of {@code reader}, or null when it holds more than {@code max} characters. */
    private static String readAtMost(Reader reader, int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        int n;
        while ((n = reader.read(buf)) > 0) {
            if (sb.length() + n > max) {
                return null;
            }
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

        /** Parses {@code text}; its problems name the source {@code <string>}. */
    public TspmConfig parse(String text, ConfigFormat format) {
        return read(new StringReader(Objects.requireNonNull(text, "text")), format, "<string>");
    }

    /** Reads {@code reader}; its problems name {@code source}. */
    public TspmConfig read(Reader reader, ConfigFormat format, String source) {
        return read(reader, format, source, null);
    }

    /** @param base the file's directory, where env files are read for {@code ${VAR}}; null for none */
    private TspmConfig read(Reader reader, ConfigFormat format, String source, Path base) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
        Problems problems = new Problems();
        Node tree;
        try {
            // Whole and bounded before any parser sees it: a parser fed a huge scalar slows to a crawl.
            String text = readAtMost(reader, Limits.DEFAULTS.maxChars());
            if (text == null) {
                throw new ConfigException(source, List.of(new ConfigProblem(source, 1, 1, "", "too large (more than "
                        + Limits.DEFAULTS.maxChars() + " characters)")));
            }
            tree = ConfigReader.read(new StringReader(text), format, source, problems);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (tree == null || problems.hasErrors()) {
            throw new ConfigException(source, problems.errors());
        }
        Interpolation interpolation = new Interpolation(environment, problems);
        tree = (base == null ? interpolation : interpolation.withEnvFiles(base)).apply(tree, "");
        ConfigBinder.Result result = new ConfigBinder(TypeRegistry.shared(), profile).bind(tree, problems);
        if (problems.hasErrors()) {
            throw new ConfigException(source, problems.errors());
        }
        return new TspmConfig(source, result.specs(), result.supervisor(), problems.warnings(), result.webhooks(),
                result.control(), result.metrics());
    }
}
