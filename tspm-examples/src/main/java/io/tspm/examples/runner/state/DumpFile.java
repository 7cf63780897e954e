package io.tspm.examples.runner.state;

import io.tspm.ProcessSpec;
import io.tspm.config.ConfigFormat;
import io.tspm.config.ConfigWriter;
import io.tspm.config.SupervisorSettings;
import io.tspm.config.TspmConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The saved state of a runner ({@code save}, {@code resurrect}): the running specs, as scaled and
 * applied, written by {@link ConfigWriter} as a tspm.yaml, and which of them were stopped.
 *
 * <p>The first line holds the length and SHA-256 of the rest, so a dump cut off at any byte, or
 * otherwise damaged, is told from a whole one even where the YAML that is left still parses. Each
 * save writes a temporary file, fsyncs it and renames it over {@code dump.yaml} (0600), after the
 * previous whole dump became {@code dump.yaml.bak}; a load that finds the dump damaged takes the
 * backup, with a warning naming both files.
 */
public final class DumpFile {

    private static final String MAGIC = "# tspm dump v1 ";
    private static final String STOPPED = "# stopped:";

    private final Path file;
    private final Path backup;

    /** The dump {@code file} with its backup {@code backup}. */
    public DumpFile(Path file, Path backup) {
        this.file = file;
        this.backup = backup;
    }

    /** The dump of a state directory. */
    public static DumpFile of(StateDir dir) {
        return new DumpFile(dir.dump(), dir.dumpBackup());
    }

    /**
     * What a dump holds.
     *
     * @param supervisor the supervisor settings
     * @param specs      every process, in order
     * @param stopped    the processes that were stopped
     * @param source     the file it was read from
     */
    public record Dump(SupervisorSettings supervisor, List<ProcessSpec> specs, Set<String> stopped, Path source) {
        /** Copies the collections. */
        public Dump {
            specs = List.copyOf(specs);
            stopped = Set.copyOf(stopped);
        }
    }

    /** The dump file. */
    public Path file() {
        return file;
    }

    /** Writes a new dump; the previous one, if whole, becomes the backup. */
    public void save(SupervisorSettings supervisor, List<ProcessSpec> specs, Set<String> stopped) throws IOException {
        String yaml = ConfigWriter.toYaml(supervisor, specs);
        StringBuilder body = new StringBuilder();
        body.append(STOPPED).append(' ').append(String.join(", ", new LinkedHashSet<>(stopped))).append('\n');
        body.append(yaml);
        byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String header = MAGIC + "bytes=" + bodyBytes.length + " sha256=" + sha256(bodyBytes) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headerBytes, headerBytes.length + bodyBytes.length);
        System.arraycopy(bodyBytes, 0, all, headerBytes.length, bodyBytes.length);
        if (Files.exists(file) && verify(Files.readAllBytes(file)) != null) {
            // A damaged dump never replaces a whole backup.
            Files.move(file, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        PrivateFiles.write(file, all);
    }

    /**
     * Loads the dump, or its backup when the dump is damaged or missing ({@code warnings} is told,
     * naming both files). Throws {@link DumpException} when neither is whole.
     */
    public Dump load(Consumer<String> warnings) {
        String problem;
        try {
            return parse(file, read(file));
        } catch (DumpException e) {
            problem = e.getMessage();
        }
        try {
            Dump d = parse(backup, read(backup));
            warnings.accept("warning: " + problem + "; restoring the previous dump " + backup + " instead");
            return d;
        } catch (DumpException e) {
            throw new DumpException(problem + "; and the backup cannot be used either: " + e.getMessage());
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new DumpException(p + " does not exist (nothing was saved: run `tspm save` first)");
        } catch (IOException e) {
            throw new DumpException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static Dump parse(Path p, byte[] bytes) {
        String body = verify(bytes);
        if (body == null) {
            throw new DumpException(p + " is damaged (cut off or changed: its length or checksum does not match"
                    + " its first line)");
        }
        int nl = body.indexOf('\n');
        String stoppedLine = nl < 0 ? "" : body.substring(0, nl);
        if (!stoppedLine.startsWith(STOPPED)) {
            throw new DumpException(p + " is damaged: its second line should start with '" + STOPPED + "'");
        }
        Set<String> stopped = new LinkedHashSet<>();
        for (String s : stoppedLine.substring(STOPPED.length()).split(",")) {
            if (!s.isBlank()) {
                stopped.add(s.trim());
            }
        }
        try {
            TspmConfig config = TspmConfig.loader().environment(java.util.Map.of())
                    .read(new StringReader(body), ConfigFormat.YAML, p.toString());
            return new Dump(config.supervisor(), config.processes(), stopped, p);
        } catch (RuntimeException e) {
            throw new DumpException(p + " cannot be loaded: " + e.getMessage());
        }
    }

    /** The body of a whole dump, or null when its first line does not match the rest. */
    static String verify(byte[] bytes) {
        int nl = -1;
        for (int i = 0; i < bytes.length && i < 200; i++) {
            if (bytes[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            return null;
        }
        String header = new String(bytes, 0, nl, StandardCharsets.US_ASCII);
        if (!header.startsWith(MAGIC)) {
            return null;
        }
        String[] fields = header.substring(MAGIC.length()).split(" ");
        if (fields.length != 2 || !fields[0].startsWith("bytes=") || !fields[1].startsWith("sha256=")) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(fields[0].substring("bytes=".length()));
        } catch (NumberFormatException e) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(bytes, nl + 1, bytes.length);
        if (body.length != length || !sha256(body).equals(fields[1].substring("sha256=".length()))) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
