package io.tspm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dotenv file: {@code KEY=value} lines, blank lines and {@code #} comments, an optional
 * {@code export} prefix, unquoted values (a {@code " #"} starts a comment), single-quoted values
 * (literal) and double-quoted values (escapes {@code \n \r \t \" \\ \$}, may span lines). No
 * variable expansion. A malformed line is an error naming the file, the line, at most the key and
 * what was expected, never the line's text: it may hold a secret ({@code DB_PASSWORD: hunter2}).
 */
final class Dotenv {

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
            int nameEnd = nameEnd(line);
            int eq = nameEnd;
            while (eq < line.length() && (line.charAt(eq) == ' ' || line.charAt(eq) == '\t')) {
                eq++;
            }
            if (nameEnd == 0 || eq == line.length() || line.charAt(eq) != '=') {
                throw new DotenvException(file, lineNo, "expected KEY=value, but " + notAnAssignment(line, nameEnd, eq)
                        + " (the line's text is not shown: it may hold a secret)");
            }
            String key = line.substring(0, nameEnd);
            String rest = line.substring(eq + 1).stripLeading();
            String value;
            if (rest.startsWith("\"")) {
                StringBuilder sb = new StringBuilder();
                int[] end = {-1};
                int startLine = lineNo;
                String text = rest.substring(1);
                while (true) {
                    if (unescapeUntilQuote(text, sb, end)) {
                        checkTrailing(file, i + 1, key, text.substring(end[0] + 1));
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
                checkTrailing(file, lineNo, key, rest.substring(close + 1));
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

    private static void checkTrailing(Path file, int lineNo, String key, String trailing) throws DotenvException {
        String t = trailing.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
            throw new DotenvException(file, lineNo, "expected a comment or the end of the line after the closing"
                    + " quote of the value of " + key + ", but more text follows");
        }
    }

    /** Where the variable name at the start of {@code line} ends (0: the line starts with none). */
    private static int nameEnd(String line) {
        if (line.isEmpty() || !isNameStart(line.charAt(0))) {
            return 0;
        }
        int k = 1;
        while (k < line.length() && (isNameStart(line.charAt(k)) || isDigit(line.charAt(k)) || line.charAt(k) == '.')) {
            k++;
        }
        return k;
    }

    private static boolean isNameStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * What stands where {@code KEY=} was expected, told by the name (a key is no secret) and the
     * kind of the character that follows it, never by the text itself.
     */
    private static String notAnAssignment(String line, int nameEnd, int next) {
        if (nameEnd == 0) {
            char c = line.charAt(0);
            return c == '=' ? "the line has no name before '='"
                    : "the line does not start with a variable name ([A-Za-z_][A-Za-z0-9_.]*)"
                            + (isDigit(c) ? ": it starts with a digit" : isPunctuation(c) ? ": it starts with '" + c + "'" : "");
        }
        if (next == line.length()) {
            return "the line holds one word and no '='"; // a stray value as likely as a key: not named
        }
        String key = line.substring(0, nameEnd);
        char c = line.charAt(nameEnd);
        String what = c == ' ' || c == '\t' ? "a space and more text" : isPunctuation(c) ? "'" + c + "'"
                : "a character a variable name may not hold";
        return key + " is followed by " + what + " instead of '='";
    }

    private static boolean isPunctuation(char c) {
        return c > ' ' && c < 127 && !isNameStart(c) && !isDigit(c);
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
