package io.tspm.config.internal;

import io.tspm.GroupSnapshot;
import io.tspm.InstanceSnapshot;
import io.tspm.config.PrometheusText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series instances write to their own Prometheus text files (write a temp file, rename), as
 * node_exporter's textfile collector reads them: each file is checked whole, its samples get the
 * instance's labels (which win over the file's own), and the families of every instance are
 * written together, as the format requires. A file that is malformed, too big, or tries a name
 * of ours is skipped and counted; it never breaks the rest.
 */
public final class TextfileMetrics {

    /** A file bigger than this is skipped. */
    static final long MAX_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?[ \\t]+(\\S+)(?:[ \\t]+(-?\\d+))?[ \\t]*");
    private static final Pattern LABEL = Pattern.compile(
            "[ \\t]*([a-zA-Z_][a-zA-Z0-9_]*)[ \\t]*=[ \\t]*\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"[ \\t]*(,|$)");
    private static final Pattern TYPE = Pattern.compile("#[ \\t]+TYPE[ \\t]+(\\S+)[ \\t]+(counter|gauge|histogram|summary|untyped)[ \\t]*");
    private static final Pattern HELP = Pattern.compile("#[ \\t]+HELP[ \\t]+(\\S+)(?:[ \\t]+(.*))?");

    private TextfileMetrics() {
    }

    private static final class Family {
        String type = "untyped";
        String help;
        final List<String> samples = new ArrayList<>();
    }

    /** Appends every instance's textfile series, and the count of files skipped. */
    public static void write(io.tspm.SupervisorSnapshot snapshot,
            java.util.function.Function<InstanceSnapshot, Path> textfile, StringBuilder out) {
        Map<String, Family> families = new LinkedHashMap<>();
        int errors = 0;
        for (GroupSnapshot g : snapshot.groups()) {
            for (InstanceSnapshot i : g.instances()) {
                Path file = textfile.apply(i);
                if (file != null && !read(file, PrometheusText.labels(i), families)) {
                    errors++;
                }
            }
        }
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            if (f.help != null) {
                out.append("# HELP ").append(e.getKey()).append(' ').append(f.help).append('\n');
            }
            out.append("# TYPE ").append(e.getKey()).append(' ').append(f.type).append('\n');
            f.samples.forEach(s -> out.append(s).append('\n'));
        }
        out.append("# HELP tspm_textfile_errors_total Instance metric files skipped: malformed, too big or unreadable.\n");
        out.append("# TYPE tspm_textfile_errors_total gauge\n");
        out.append("tspm_textfile_errors_total ").append(errors).append('\n');
    }

    /** Adds one file's families; false when it is skipped (and nothing of it is added). */
    static boolean read(Path file, Map<String, String> ours, Map<String, Family> into) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                return false;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return true; // nothing written yet: not an error
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        Map<String, Family> mine = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (!NAME.matcher(m.group(1)).matches() || m.group(1).startsWith("tspm_")) {
                    return false;
                }
                mine.computeIfAbsent(m.group(1), k -> new Family()).type = m.group(2);
            } else if ((m = HELP.matcher(line)).matches()) {
                if (!NAME.matcher(m.group(1)).matches()) {
                    return false;
                }
                mine.computeIfAbsent(m.group(1), k -> new Family()).help = m.group(2) == null ? "" : m.group(2);
            } else if (line.startsWith("#")) {
                continue; // a comment
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (name.startsWith("tspm_") || !isNumber(m.group(3))) {
                    return false;
                }
                Map<String, String> labels = new LinkedHashMap<>(ours);
                if (m.group(2) != null && !labels(m.group(2), ours, labels)) {
                    return false;
                }
                StringBuilder s = new StringBuilder(name).append('{');
                boolean first = true;
                for (Map.Entry<String, String> l : labels.entrySet()) {
                    s.append(first ? "" : ",").append(l.getKey()).append("=\"").append(l.getValue()).append('"');
                    first = false;
                }
                s.append("} ").append(m.group(3));
                if (m.group(4) != null) {
                    s.append(' ').append(m.group(4));
                }
                mine.computeIfAbsent(family(name, mine), k -> new Family()).samples.add(s.toString());
            } else {
                return false;
            }
        }
        for (Map.Entry<String, Family> e : mine.entrySet()) {
            Family f = into.computeIfAbsent(e.getKey(), k -> new Family());
            if (f.samples.isEmpty() && f.help == null) {
                f.type = e.getValue().type;
            }
            if (f.help == null) {
                f.help = e.getValue().help;
            }
            f.samples.addAll(e.getValue().samples);
        }
        return true;
    }

    /** A histogram's or summary's sample belongs to the family its TYPE line named. */
    private static String family(String sample, Map<String, Family> declared) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                Family f = declared.get(base);
                if (f != null && (f.type.equals("histogram") || f.type.equals("summary"))) {
                    return base;
                }
            }
        }
        return sample;
    }

    /** Parses a label set (values kept escaped); ours win. False when malformed. */
    private static boolean labels(String text, Map<String, String> ours, Map<String, String> into) {
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return text.substring(at).isBlank();
            }
            if (!ours.containsKey(m.group(1))) {
                into.put(m.group(1), m.group(2));
            }
            at = m.end();
            if (m.group(3).isEmpty()) {
                return at == text.length();
            }
        }
        return true;
    }

    private static boolean isNumber(String v) {
        if (v.equals("NaN") || v.equals("+Inf") || v.equals("-Inf")) {
            return true;
        }
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
