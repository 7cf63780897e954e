package io.tspm;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Durations, sizes and "did you mean" hints as TSPM writes them for people, one way everywhere
 * (messages, {@code toString}, the runner's table): {@code 6 ms}, {@code 1.5 s}, {@code 30 s},
 * {@code 2 min 5 s}, {@code 10 MiB}, {@code ; did you mean 'web'?}. Public so that probes and tools
 * built on TSPM read the same.
 */
public final class Human {

    private Human() {
    }

    /** {@code 0 ms}, {@code 250 µs}, {@code 6 ms}, {@code 1.5 s}, {@code 30 s}, {@code 2 min 5 s}, {@code 3 h 10 min}, {@code 2 d 4 h}. */
    public static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long nanos = d.compareTo(Duration.ofDays(365L * 1000)) > 0 ? Long.MAX_VALUE : d.toNanos();
        if (nanos == 0) {
            return "0 ms";
        }
        if (nanos < 1_000_000) {
            return Math.max(1, nanos / 1000) + " µs";
        }
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return oneDecimal(millis / 1000.0) + " s";
        }
        long seconds = d.toSeconds();
        if (seconds < 3600) {
            return two(seconds / 60, "min", seconds % 60, "s");
        }
        if (seconds < 86_400) {
            return two(seconds / 3600, "h", seconds % 3600 / 60, "min");
        }
        return two(seconds / 86_400, "d", seconds % 86_400 / 3600, "h");
    }

    /** {@code 512 B}, {@code 64 KiB}, {@code 1.5 MiB}, {@code 10 MiB}, {@code 2 GiB}. */
    public static String bytes(long bytes) {
        if (bytes < 0) {
            return "-" + bytes(-bytes);
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (u == 0 ? Long.toString(bytes) : oneDecimal(v)) + " " + units[u];
    }

    /**
     * The name in {@code known} nearest to {@code typed} by edit distance, case ignored, when it is
     * near enough to be a typo of it: at most a third of its length away (2 edits for short words),
     * and not as far as its whole length.
     */
    public static Optional<String> nearest(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(t, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, t.length() / 3) && bestDistance < t.length()
                ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'web'?"} with the {@link #nearest} name, or {@code ""} when none is near. */
    public static String didYouMean(String typed, Collection<String> known) {
        return nearest(typed, known).map(n -> "; did you mean '" + n + "'?").orElse("");
    }

    /**
     * Edit distance with a swap of two neighbours as one edit (optimal string alignment), the typo
     * people make most ({@code lsit}, {@code stauts}); words over 200 characters are never typos of
     * each other (and cost no quadratic time).
     */
    static int editDistance(String a, String b) {
        if (a.length() > 200 || b.length() > 200) {
            return Integer.MAX_VALUE;
        }
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                cur[j] = d;
            }
            int[] swap = before;
            before = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }

    private static String two(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + " " + majorUnit : major + " " + majorUnit + " " + minor + " " + minorUnit;
    }

    /** {@code 1.5}, {@code 30} (no trailing {@code .0}), rounded down so 59.99 never shows as 60. */
    private static String oneDecimal(double v) {
        double floored = Math.floor(v * 10) / 10;
        return floored == Math.rint(floored) ? Long.toString((long) floored)
                : String.format(Locale.ROOT, "%.1f", floored);
    }
}
