package io.tspm.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${VAR}} and {@code ${VAR:-default}} in every string value from the variables given
 * (the host environment unless the caller passes others); {@code $${} writes a literal {@code ${}.
 * An unset variable without a default is an error that names it.
 */
public final class Interpolation {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> variables;
    private final Problems problems;

    /** Interpolation from {@code variables}, errors to {@code problems}. */
    public Interpolation(Map<String, String> variables, Problems problems) {
        this.variables = variables;
        this.problems = problems;
    }

    /** Where a process's relative env file is read from; null: env files are not read (a string, a reader). */
    private java.nio.file.Path base;

    /**
     * Also fills a process's strings from its {@code envFile} (dotenv, read from its working
     * directory or {@code base}), which wins over the host environment, as the process's own
     * environment would.
     */
    public Interpolation withEnvFiles(java.nio.file.Path base) {
        this.base = base;
        return this;
    }

    /** {@code node} with its strings filled in. */
    public Node apply(Node node, String path) {
        if (base != null && node instanceof Node.MapNode && isProcess(path)) {
            Map<String, String> fromFile = envFile((Node.MapNode) node, path);
            if (!fromFile.isEmpty()) {
                Map<String, String> merged = new java.util.HashMap<>(variables);
                merged.putAll(fromFile);
                return new Interpolation(merged, problems).apply(node, path);
            }
        }
        // A subtree without a ${ comes back as it was: most of a file has none, so most of it is
        // neither copied nor given path strings.
        if (node instanceof Node.MapNode) {
            Node.MapNode m = (Node.MapNode) node;
            Map<String, Node.Entry> out = null;
            for (Node.Entry e : m.entries().values()) {
                Node value = e.value();
                Node filled = needsWork(value) ? apply(value, path.isEmpty() ? e.key() : path + "." + e.key()) : value;
                if (filled != value && out == null) {
                    out = new LinkedHashMap<>(m.entries());
                }
                if (out != null) {
                    out.put(e.key(), new Node.Entry(e.key(), e.keyMark(), filled));
                }
            }
            return out == null ? m : new Node.MapNode(m.mark(), out);
        } else if (node instanceof Node.ListNode) {
            List<Node> items = ((Node.ListNode) node).items();
            List<Node> out = null;
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                Node filled = needsWork(item) ? apply(item, path + "[" + i + "]") : item;
                if (filled != item && out == null) {
                    out = new ArrayList<>(items);
                }
                if (out != null) {
                    out.set(i, filled);
                }
            }
            return out == null ? node : new Node.ListNode(node.mark(), out);
        }
        Node.Scalar s = (Node.Scalar) node;
        if (!(s.value() instanceof String) || !((String) s.value()).contains("${")) {
            return s;
        }
        String text = (String) s.value();
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String value = variables.get(m.group(1));
                if (value == null || (value.isEmpty() && m.group(2) != null)) {
                    value = m.group(2);
                }
                if (value == null) {
                    problems.error(s.mark(), path, "environment variable " + m.group(1) + " is not set; set it, or"
                            + " give a default: ${" + m.group(1) + ":-value}");
                    value = "";
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return new Node.Scalar(s.mark(), out.toString(), out.toString());
    }

    /** Whether {@code path} is that of one process's mapping: processes[i]. */
    private static boolean isProcess(String path) {
        if (!path.startsWith("processes[") || !path.endsWith("]") || path.length() < 12) {
            return false;
        }
        for (int i = 10; i < path.length() - 1; i++) {
            if (path.charAt(i) < '0' || path.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code node} may change: a string with a ${ in it, or a collection (a process may read an env file). */
    private boolean needsWork(Node node) {
        if (node instanceof Node.Scalar) {
            Object v = ((Node.Scalar) node).value();
            return v instanceof String && ((String) v).contains("${");
        }
        return true;
    }

    /** The variables of the process's env file; empty when it has none, or it cannot be read (the spawn says why). */
    private Map<String, String> envFile(Node.MapNode process, String path) {
        Node file = process.get("envFile");
        if (!(file instanceof Node.Scalar) || !(((Node.Scalar) file).value() instanceof String)) {
            return Map.of();
        }
        java.nio.file.Path dir = base;
        Node wd = process.get("workingDirectory") != null ? process.get("workingDirectory") : process.get("cwd");
        if (wd instanceof Node.Scalar && ((Node.Scalar) wd).value() instanceof String) {
            dir = base.resolve((String) ((Node.Scalar) wd).value());
        }
        java.nio.file.Path f = dir.resolve((String) ((Node.Scalar) file).value());
        try {
            return Dotenv.parse(java.nio.file.Files.readString(f));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return Map.of();
        } catch (IllegalArgumentException e) {
            problems.error(file.mark(), path + ".envFile", f + ": " + e.getMessage());
            return Map.of();
        }
    }
}
