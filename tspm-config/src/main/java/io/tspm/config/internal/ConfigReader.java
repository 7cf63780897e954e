package io.tspm.config.internal;

import io.tspm.config.ConfigFormat;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a source of any format into the tree, with the limits of {@link Limits#DEFAULTS}. */
public final class ConfigReader {

    private static final Pattern EXPORTS = Pattern.compile("\\A((?:\\s|//[^\\n]*\\n|/\\*(?s:.*?)\\*/)*)"
            + "(module\\.exports\\s*=|export\\s+default)");
    private static final Pattern COMPUTED = Pattern.compile("\\brequire\\s*\\(|\\bprocess\\.env\\b|\\bfunction\\b|=>|`|"
            + "\\.\\.\\.|\\bimport\\b|\\bconst\\b|\\blet\\b|\\bvar\\b|\\bpath\\.|\\bJSON\\.|\\bos\\.");

    private ConfigReader() {
    }

    /** The tree of {@code reader}, or null after recording why it could not be read. */
    public static Node read(Reader reader, ConfigFormat format, String source, Problems problems) throws IOException {
        switch (format) {
            case YAML:
                return new YamlTreeReader(Limits.DEFAULTS).read(reader, source, problems);
            case JSON:
                return new JsonTreeReader(Limits.DEFAULTS, JsonTreeReader.Dialect.JSON).read(reader, source, problems);
            case JSONC:
                return new JsonTreeReader(Limits.DEFAULTS, JsonTreeReader.Dialect.JSONC).read(reader, source, problems);
            default:
                return readJs(reader, source, problems);
        }
    }

    /**
     * An {@code ecosystem.config.js} whose {@code module.exports} is a literal: the assignment is
     * blanked (positions kept) and the literal read as lenient JSON. A file that computes anything
     * is refused at the construct, with how to turn it into JSON.
     */
    private static Node readJs(Reader reader, String source, Problems problems) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = reader.read(buf)) > 0; ) {
            sb.append(buf, 0, n);
            if (sb.length() > Limits.DEFAULTS.maxChars()) {
                problems.error(new Node.Mark(source, 1, 1), "", "too large (more than " + Limits.DEFAULTS.maxChars()
                        + " characters)");
                return null;
            }
        }
        String text = sb.toString();
        Matcher m = EXPORTS.matcher(text);
        if (!m.find()) {
            problems.error(new Node.Mark(source, 1, 1), "", "an ecosystem.config.js must start with module.exports ="
                    + " followed by a literal object");
            return null;
        }
        Matcher computed = COMPUTED.matcher(text);
        int from = m.end();
        while (computed.find(from)) {
            int at = computed.start();
            if (!insideStringOrComment(text, m.end(), at)) {
                int line = 1;
                int col = 1;
                for (int i = 0; i < at; i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                        col = 1;
                    } else {
                        col++;
                    }
                }
                problems.error(new Node.Mark(source, line, col), "", "the file computes its value ('"
                        + computed.group().trim() + "'), and only a plain literal can be read; turn it into JSON with"
                        + " node -e \"console.log(JSON.stringify(require('./" + fileName(source)
                        + "'), null, 2))\" > ecosystem.config.json, and load that");
                return null;
            }
            from = computed.end();
        }
        StringBuilder blanked = new StringBuilder(text);
        for (int i = m.start(2); i < m.end(2); i++) {
            blanked.setCharAt(i, ' ');
        }
        return new JsonTreeReader(Limits.DEFAULTS, JsonTreeReader.Dialect.JS_LITERAL)
                .read(new StringReader(blanked.toString()), source, problems);
    }

    private static String fileName(String source) {
        int slash = source.lastIndexOf('/');
        return slash < 0 ? source : source.substring(slash + 1);
    }

    /** Whether {@code at} is inside a string or a comment, scanning from {@code from}. */
    private static boolean insideStringOrComment(String text, int from, int at) {
        char quote = 0;
        for (int i = from; i < at; i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                int end = text.indexOf('\n', i);
                if (end < 0 || end > at) {
                    return true;
                }
                i = end;
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0 || end > at) {
                    return true;
                }
                i = end + 1;
            }
        }
        return quote != 0;
    }
}
