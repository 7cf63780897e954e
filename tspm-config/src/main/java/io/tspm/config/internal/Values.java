package io.tspm.config.internal;

import io.tspm.Human;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of tree nodes: a value of the wrong kind records an error naming the
 * path, the value and what was expected, and reads as empty, so binding goes on.
 */
public final class Values {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");
    /** What a duration key accepts, for messages. */
    public static final String DURATION = "a duration such as 500ms, 30s, 5m or 1h, or a number of milliseconds";
    /** What a size key accepts, for messages. */
    public static final String SIZE_TEXT = "a size such as 512mb, 1gb, 10M or 300K, or a number of bytes";

    private final Problems problems;

    /** Values whose errors go to {@code problems}. */
    public Values(Problems problems) {
        this.problems = problems;
    }

    /** The problems errors go to. */
    public Problems problems() {
        return problems;
    }

    /** Records that {@code node} at {@code path} is not {@code expected}. */
    public void wrong(Node node, String path, String expected) {
        problems.error(node.mark(), path, "expected " + expected + ", but was " + Problems.show(path, node));
    }

    /** A string; numbers and booleans are taken as their text (as env values are). */
    public Optional<String> text(Node node, String path) {
        if (node instanceof Node.Scalar && ((Node.Scalar) node).value() != null) {
            return Optional.of(((Node.Scalar) node).text());
        }
        wrong(node, path, "a string");
        return Optional.empty();
    }

    /** A string, strictly (not a number or a boolean). */
    public Optional<String> string(Node node, String path, String expected) {
        if (node instanceof Node.Scalar && ((Node.Scalar) node).value() instanceof String) {
            return Optional.of((String) ((Node.Scalar) node).value());
        }
        wrong(node, path, expected);
        return Optional.empty();
    }

    /** A boolean. */
    public Optional<Boolean> bool(Node node, String path) {
        if (node instanceof Node.Scalar && ((Node.Scalar) node).value() instanceof Boolean) {
            return Optional.of((Boolean) ((Node.Scalar) node).value());
        }
        wrong(node, path, "true or false");
        return Optional.empty();
    }

    /** A whole number in {@code min..max}; a string of digits is accepted, as PM2's "4". */
    public OptionalLong whole(Node node, String path, long min, long max) {
        String expected = "a whole number in " + min + ".." + max;
        Object v = node instanceof Node.Scalar ? ((Node.Scalar) node).value() : null;
        if (v instanceof String && ((String) v).trim().matches("-?\\d{1,19}")) {
            try {
                v = Long.parseLong(((String) v).trim());
            } catch (NumberFormatException e) {
                v = new BigInteger(((String) v).trim());
            }
        }
        if (v instanceof Double && ((Double) v) == Math.rint((Double) v) && Math.abs((Double) v) < 1e15) {
            v = ((Double) v).longValue();
        }
        if (v instanceof BigInteger) {
            problems.error(node.mark(), path, "expected " + expected + ", but was " + Problems.show(path, node)
                    + ", which is too large");
            return OptionalLong.empty();
        }
        if (!(v instanceof Long)) {
            wrong(node, path, expected);
            return OptionalLong.empty();
        }
        long l = (Long) v;
        if (l < min || l > max) {
            problems.error(node.mark(), path, "expected " + expected + ", but was " + Problems.show(path, node));
            return OptionalLong.empty();
        }
        return OptionalLong.of(l);
    }

    /** A whole number in {@code min..max} as an int. */
    public OptionalInt integer(Node node, String path, int min, int max) {
        OptionalLong l = whole(node, path, min, max);
        return l.isPresent() ? OptionalInt.of((int) l.getAsLong()) : OptionalInt.empty();
    }

    /** A finite number. */
    public OptionalDouble number(Node node, String path) {
        Object v = node instanceof Node.Scalar ? ((Node.Scalar) node).value() : null;
        if (v instanceof Number && Double.isFinite(((Number) v).doubleValue())) {
            return OptionalDouble.of(((Number) v).doubleValue());
        }
        wrong(node, path, "a number");
        return OptionalDouble.empty();
    }

    /** A duration: {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 1h}, or a number of milliseconds. */
    public Optional<Duration> duration(Node node, String path) {
        Object v = node instanceof Node.Scalar ? ((Node.Scalar) node).value() : null;
        try {
            if (v instanceof Long || v instanceof Double) {
                double ms = ((Number) v).doubleValue();
                if (ms < 0) {
                    problems.error(node.mark(), path, "expected " + DURATION + ", but was " + Problems.show(path, node)
                            + ", which is negative");
                    return Optional.empty();
                }
                return Optional.of(nanos(new BigDecimal(ms).multiply(BigDecimal.valueOf(1_000_000))));
            }
            if (v instanceof String) {
                Optional<Duration> d = parseDuration((String) v);
                if (d.isPresent()) {
                    return d;
                }
                String s = ((String) v).trim();
                problems.error(node.mark(), path, "expected " + DURATION + ", but was " + Problems.show(path, node)
                        + (s.startsWith("-") ? ", which is negative" : ""));
                return Optional.empty();
            }
        } catch (ArithmeticException e) {
            problems.error(node.mark(), path, "expected " + DURATION + ", but was " + Problems.show(path, node)
                    + ", which is too long");
            return Optional.empty();
        }
        if (v instanceof BigInteger) {
            problems.error(node.mark(), path, "expected " + DURATION + ", but was " + Problems.show(path, node)
                    + ", which is too long");
            return Optional.empty();
        }
        wrong(node, path, DURATION);
        return Optional.empty();
    }

    /** Parses {@code 500ms}, {@code 1m30s}, {@code 250} (ms); empty when it is not one. */
    public static Optional<Duration> parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+(\\.\\d+)?")) {
            return Optional.of(nanos(new BigDecimal(s).multiply(BigDecimal.valueOf(1_000_000))));
        }
        Matcher m = DURATION_PART.matcher(s);
        int at = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
            while (at < s.length() && s.charAt(at) == ' ') {
                at++;
            }
        }
        return at == 0 ? Optional.empty() : Optional.of(nanos(total));
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1;
            case "us":
                return 1_000;
            case "ms":
                return 1_000_000;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            default:
                return 86_400_000_000_000L;
        }
    }

    private static Duration nanos(BigDecimal nanos) {
        BigInteger n = nanos.toBigInteger();
        BigInteger seconds = n.divide(BigInteger.valueOf(1_000_000_000));
        if (seconds.bitLength() > 40) { // beyond 34,000 years: surely a mistake
            throw new ArithmeticException("duration overflow");
        }
        return Duration.ofNanos(0).plusSeconds(seconds.longValueExact())
                .plusNanos(n.mod(BigInteger.valueOf(1_000_000_000)).longValue());
    }

    /** A size: {@code 512mb}, {@code 1gb}, {@code 10M}, {@code 300K} (1024-based), or a number of bytes. */
    public OptionalLong size(Node node, String path) {
        Object v = node instanceof Node.Scalar ? ((Node.Scalar) node).value() : null;
        if (v instanceof Long) {
            if ((Long) v < 0) {
                problems.error(node.mark(), path, "expected " + SIZE_TEXT + ", but was " + Problems.show(path, node)
                        + ", which is negative");
                return OptionalLong.empty();
            }
            return OptionalLong.of((Long) v);
        }
        if (v instanceof String) {
            String s = ((String) v).trim().toLowerCase(Locale.ROOT);
            Matcher m = SIZE.matcher(s);
            if (m.matches()) {
                BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(sizeUnit(m.group(2))));
                BigInteger b = bytes.toBigInteger();
                if (b.bitLength() < 63) {
                    return OptionalLong.of(b.longValue());
                }
                problems.error(node.mark(), path, "expected " + SIZE_TEXT + ", but was " + Problems.show(path, node)
                        + ", which is too large");
                return OptionalLong.empty();
            }
            problems.error(node.mark(), path, "expected " + SIZE_TEXT + ", but was " + Problems.show(path, node)
                    + (s.startsWith("-") ? ", which is negative" : ""));
            return OptionalLong.empty();
        }
        if (v instanceof BigInteger) {
            problems.error(node.mark(), path, "expected " + SIZE_TEXT + ", but was " + Problems.show(path, node)
                    + ", which is too large");
            return OptionalLong.empty();
        }
        wrong(node, path, SIZE_TEXT);
        return OptionalLong.empty();
    }

    private static long sizeUnit(String unit) {
        if (unit == null || unit.equals("b")) {
            return 1;
        }
        switch (unit.charAt(0)) {
            case 'k':
                return 1024L;
            case 'm':
                return 1024L * 1024;
            case 'g':
                return 1024L * 1024 * 1024;
            default:
                return 1024L * 1024 * 1024 * 1024;
        }
    }

    /** A list of strings; a single string is a list of one. Null when it was wrong. */
    public List<String> strings(Node node, String path) {
        if (node instanceof Node.Scalar && ((Node.Scalar) node).value() instanceof String) {
            return List.of((String) ((Node.Scalar) node).value());
        }
        if (!(node instanceof Node.ListNode)) {
            wrong(node, path, "a list of strings");
            return null;
        }
        List<String> out = new ArrayList<>();
        List<Node> items = ((Node.ListNode) node).items();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Optional<String> s = text(items.get(i), path + "[" + i + "]");
            ok &= s.isPresent();
            s.ifPresent(out::add);
        }
        return ok ? out : null;
    }

    /** A mapping of strings to strings (scalar values taken as their text). Null when it was wrong. */
    public Map<String, String> stringMap(Node node, String path) {
        if (!(node instanceof Node.MapNode)) {
            wrong(node, path, "a mapping of names to values");
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Node.Entry e : ((Node.MapNode) node).entries().values()) {
            Optional<String> s = text(e.value(), path + "." + e.key());
            ok &= s.isPresent();
            s.ifPresent(v -> out.put(e.key(), v));
        }
        return ok ? out : null;
    }

    /** One of {@code choices} (case and '-'/'_' ignored), as the choice is written in the list. */
    public Optional<String> choice(Node node, String path, List<String> choices) {
        String expected = "one of " + String.join(", ", choices);
        Optional<String> s = node instanceof Node.Scalar && ((Node.Scalar) node).value() instanceof String
                ? Optional.of((String) ((Node.Scalar) node).value()) : Optional.empty();
        if (s.isEmpty()) {
            wrong(node, path, expected);
            return Optional.empty();
        }
        String n = normal(s.get());
        for (String c : choices) {
            if (normal(c).equals(n)) {
                return Optional.of(c);
            }
        }
        problems.error(node.mark(), path, "expected " + expected + ", but was " + Problems.show(path, node)
                + Human.didYouMean(s.get(), choices));
        return Optional.empty();
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
