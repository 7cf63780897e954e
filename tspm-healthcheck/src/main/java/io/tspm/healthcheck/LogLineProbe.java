package io.tspm.healthcheck;

import io.tspm.OutputLine;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Passes once the current process printed a line matching a regex (optionally N times); fails at
 * once, for good, on a line matching a failure pattern ("Address already in use"). Lines are
 * counted as they are read, so a chatty process cannot scroll a match out of sight, and the line
 * that decides asks for a check at once ({@link ProbeContext#checkNowOnMatch}): the instance is
 * ready, or its start failed, when the line is read, not at the next period. Immutable; two probes
 * of the same patterns (compared by pattern string and flags), count and failure patterns are equal.
 */
public final class LogLineProbe implements BuiltInProbe {

    private final Pattern pattern;
    private final int times;
    private final List<Pattern> failures;

    LogLineProbe(String regex) {
        this(Pattern.compile(Objects.requireNonNull(regex, "regex")), 1, List.of());
    }

    private LogLineProbe(Pattern pattern, int times, List<Pattern> failures) {
        this.pattern = pattern;
        this.times = times;
        this.failures = List.copyOf(failures);
    }

    /** Passes only after {@code n} matching lines (default 1). */
    public LogLineProbe times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1, but was " + n);
        }
        return new LogLineProbe(pattern, n, failures);
    }

    /** A line matching any of these fails the check fatally: the start fails at once. */
    public LogLineProbe failOn(String... regexes) {
        List<Pattern> all = new ArrayList<>(failures);
        for (String r : regexes) {
            all.add(Pattern.compile(Objects.requireNonNull(r, "failOn")));
        }
        return new LogLineProbe(pattern, times, all);
    }

    /** The pattern a line must match ({@link java.util.regex.Matcher#find()}). */
    public Pattern pattern() {
        return pattern;
    }

    /** How many matching lines it takes to pass (default 1). */
    public int times() {
        return times;
    }

    /** The patterns that fail the check fatally ({@link #failOn}), in the order they were added. */
    public List<Pattern> failurePatterns() {
        return failures;
    }

    /** {@code log-line}. */
    @Override
    public String type() {
        return "log-line";
    }

    @Override
    public void spawned(ProbeContext context) {
        // Count from before the first line is read, and be checked the moment the verdict can change.
        context.countMatches(pattern);
        context.checkNowOnMatch(pattern, times);
        for (Pattern f : failures) {
            context.countMatches(f);
            context.checkNowOnMatch(f, 1);
        }
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        for (Pattern f : failures) {
            if (context.countMatches(f) > 0) {
                String line = context.output().stream().map(OutputLine::text).filter(t -> f.matcher(t).find())
                        .findFirst().map(t -> "output line '" + t + "'").orElse("an output line");
                return CompletableFuture.completedFuture(ProbeResult.fatal(line + " matches failure pattern /" + f + "/"));
            }
        }
        long seen = context.countMatches(pattern);
        return CompletableFuture.completedFuture(seen >= times
                ? ProbeResult.success("/" + pattern + "/ seen " + seen + (seen == 1 ? " time" : " times"))
                : ProbeResult.failure("/" + pattern + "/ seen " + seen + " of " + times
                        + (times == 1 ? " time" : " times")));
    }

    @Override
    public String describe() {
        return "log line /" + pattern + "/" + (times > 1 ? " x" + times : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogLineProbe)) {
            return false;
        }
        LogLineProbe p = (LogLineProbe) o;
        return Regexes.equal(pattern, p.pattern) && times == p.times && Regexes.equal(failures, p.failures);
    }

    @Override
    public int hashCode() {
        return (Regexes.hash(pattern) * 31 + times) * 31 + Regexes.hash(failures);
    }

    /** {@link #describe()} and the failure patterns, if any: {@code log line /Started/ {failOn=[/in use/]}}. */
    @Override
    public String toString() {
        return failures.isEmpty() ? describe() : describe() + " {failOn="
                + failures.stream().map(Regexes::slashed).collect(Collectors.joining(", ", "[", "]")) + "}";
    }
}
