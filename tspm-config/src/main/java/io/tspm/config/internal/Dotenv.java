package io.tspm.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dotenv file's variables, for {@code ${VAR}} in a file: {@code KEY=value} lines, an optional
 * {@code export}, single-quoted values (literal), double-quoted ones (escapes for newline, tab,
 * quote, backslash and dollar), {@code #} comments on their own line or after an unquoted value:
 * the supervisor's rules when it reads the file for the process, but one line per value. An error
 * names the line, never its text (it may hold a secret).
 */
final class Dotenv {

    private Dotenv() {
    }

    /** The variables of {@code text}; a malformed line is an IllegalArgumentException naming it. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not KEY=value (a variable name, '=',"
                        + " a value)");
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            } else if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = unescape(value.substring(1, value.length() - 1));
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) {
                    value = value.substring(0, hash).strip();
                }
            }
            out.put(key, value);
        }
        return out;
    }

    private static String unescape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '\\' && k + 1 < v.length()) {
                char e = v.charAt(++k);
                sb.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
