package io.tspm.healthcheck;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Value equality for compiled patterns, which compare by identity: same pattern string and flags. */
final class Regexes {

    private Regexes() {
    }

    static boolean equal(Pattern a, Pattern b) {
        return a == b || a != null && b != null && a.pattern().equals(b.pattern()) && a.flags() == b.flags();
    }

    static int hash(Pattern p) {
        return p == null ? 0 : Objects.hash(p.pattern(), p.flags());
    }

    static boolean equal(List<Pattern> a, List<Pattern> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!equal(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hash(List<Pattern> patterns) {
        int h = 1;
        for (Pattern p : patterns) {
            h = 31 * h + hash(p);
        }
        return h;
    }

    /** {@code /regex/} as messages write a pattern. */
    static String slashed(Pattern p) {
        return "/" + p + "/";
    }
}
