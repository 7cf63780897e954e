package io.tspm.config.internal;

import io.tspm.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Collects every error and warning of one load, so a file reports all of them at once; masks the
 * values of keys that look like secrets.
 */
public final class Problems {

    private static final Pattern SECRET = Pattern.compile("(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL).*");
    /** After this many errors the rest of a file is not worth reading. */
    private static final int MAX_ERRORS = 200;

    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    /** Records an error at {@code mark} about {@code path}. */
    public void error(Node.Mark mark, String path, String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new ConfigProblem(mark.source(), mark.line(), mark.column(), path, message));
        }
    }

    /** Records a warning. */
    public void warn(Node.Mark mark, String path, String message) {
        warnings.add(new ConfigProblem(mark.source(), mark.line(), mark.column(), path, message));
    }

    /** The errors so far. */
    public List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    /** The warnings so far. */
    public List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    /** Whether an error was recorded. */
    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** How many errors so far. */
    public int errorCount() {
        return errors.size();
    }

    /** Whether the last segment of {@code path} names a secret (TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL). */
    public static boolean secret(String path) {
        int dot = path.lastIndexOf('.');
        String last = dot < 0 ? path : path.substring(dot + 1);
        return SECRET.matcher(last.toUpperCase(Locale.ROOT)).matches();
    }

    /** The node as a message shows it: {@code ***} under a secret-looking key. */
    public static String show(String path, Node node) {
        if (node instanceof Node.Scalar && node != null && secret(path)) {
            return "*** (a " + (((Node.Scalar) node).value() instanceof String ? "string" : "value") + ")";
        }
        return node == null ? "nothing" : node.describe();
    }
}
