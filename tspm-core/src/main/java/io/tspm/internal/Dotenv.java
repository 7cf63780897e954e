package io.tspm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a dotenv file: {@code KEY=value} lines, blank lines and {@code #} comments, an optional
 * {@code export} prefix, unquoted values (a {@code " #"} starts a comment), single-quoted values
 * (literal) and double-quoted values (escapes {@code \n \r \t \" \\ \$}, may span lines). No
 * variable expansion. A malformed line is an error naming the file, the line and what was expected.
 */
final class Dotenv {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private Dotenv() {
    }

    /** A line of a dotenv file that cannot be read. */
    static final class DotenvException extends Exception {
        private static final long serialVersionUID = 1L;

        DotenvException(Path file, int line, String problem) {
            super("env file " + file + ", line " + line + ": " + problem);
        }
    }

    static Map<String, String> read(Path file) throws DotenvException, IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(Path file, List<String> lines) throws DotenvException {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring(7).stripLeading();
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new DotenvException(file, lineNo, "expected KEY=value, but was '" + lines.get(i) + "'");
            }
            String key = line.substring(0, eq).strip();
            if (!KEY.matcher(key).matches()) {
                throw new DotenvException(file, lineNo,
                        "expected a variable name ([A-Za-z_][A-Za-z0-9_.]*), but was '" + key + "'");
            }
            String rest = line.substring(eq + 1).stripLeading();
            String value;
            if (rest.startsWith("\"")) {
                StringBuilder sb = new StringBuilder();
                int[] end = {-1};
                int startLine = lineNo;
                String text = rest.substring(1);
                while (true) {
                    if (unescapeUntilQuote(text, sb, end)) {
                        checkTrailing(file, i + 1, text.substring(end[0] + 1));
                        break;
                    }
                    if (++i >= lines.size()) {
                        throw new DotenvException(file, startLine, "the double-quoted value of " + key
                                + " is never closed");
                    }
                    sb.append('\n');
                    text = lines.get(i);
                }
                value = sb.toString();
            } else if (rest.startsWith("'")) {
                int close = rest.indexOf('\'', 1);
                if (close < 0) {
                    throw new DotenvException(file, lineNo, "the single-quoted value of " + key
                            + " is not closed on its line");
                }
                value = rest.substring(1, close);
                checkTrailing(file, lineNo, rest.substring(close + 1));
            } else {
                int comment = indexOfComment(rest);
                value = (comment < 0 ? rest : rest.substring(0, comment)).strip();
            }
            out.put(key, value);
        }
        return out;
    }

    /** Appends unescaped text up to the closing quote; true (and its index in end[0]) when found. */
    private static boolean unescapeUntilQuote(String text, StringBuilder sb, int[] end) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '"') {
                end[0] = k;
                return true;
            }
            if (c == '\\' && k + 1 < text.length()) {
                char n = text.charAt(++k);
                switch (n) {
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case '"': case '\\': case '$': sb.append(n); break;
                    default: sb.append('\\').append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return false;
    }

    private static void checkTrailing(Path file, int lineNo, String trailing) throws DotenvException {
        String t = trailing.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
            throw new DotenvException(file, lineNo, "expected a comment or the end of the line after the closing"
                    + " quote, but was '" + t + "'");
        }
    }

    private static int indexOfComment(String value) {
        for (int k = 1; k < value.length(); k++) {
            if (value.charAt(k) == '#' && Character.isWhitespace(value.charAt(k - 1))) {
                return k;
            }
        }
        return value.startsWith("#") ? 0 : -1;
    }
}
