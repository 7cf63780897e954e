package io.tspm.spi;

import io.tspm.OutputLine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What a probe may know about the instance it checks. New needs become default methods here, so
 * probe implementations never break.
 */
public interface ProbeContext {

    String processName();

    int instanceId();

    /** The OS process being checked. */
    long pid();

    /** The instance's assigned port ({@code basePort + id}), if the process has one. */
    OptionalInt port();

    /** The environment the process was started with. */
    Map<String, String> environment();

    /** How long this check may take; the supervisor cuts it off (a failure) when it takes longer. */
    Duration timeout();

    /** The lines this OS process printed so far (at most the ring's size), oldest first. */
    List<OutputLine> output();

    /** An executor for probes that must block (a bounded pool shared by the supervisor). */
    Executor blockingExecutor();

    /**
     * An object shared by every probe of this supervisor under {@code key}, created on first use
     * (an HTTP client, say): so a thousand probes share one. {@code create} runs under no lock, so
     * it may ask for other shared objects; when first uses race it may run more than once, and the
     * objects not kept are closed at once. The kept one is closed with the supervisor, if it is
     * {@link AutoCloseable}.
     */
    <T> T shared(Class<T> key, Supplier<? extends T> create);

    /**
     * How many lines of this OS process matched {@code pattern} since it started, counted as they
     * are read (not limited to the ring of recent lines). The count starts when a pattern is first
     * asked for, from the lines still in the ring.
     */
    default long countMatches(java.util.regex.Pattern pattern) {
        return output().stream().filter(l -> pattern.matcher(l.text()).find()).count();
    }

    /**
     * Asks for a check now rather than at the end of the period: for a probe that learns that its
     * answer may have changed (a line it waits for was printed, a callback came). This wakes the
     * process's startup probe (until it passed) and its readiness probe; liveness probes keep their
     * period, as their failure threshold counts periods of grace. A check asked for this way counts
     * as any other (thresholds, timeout); one that comes while a check runs makes one more check
     * follow it at once; before a probe's initial delay is over it is ignored. Call it when
     * something changed, not in a loop. Returns at once; the check runs on the supervisor's
     * threads. By default it does nothing, and the period decides.
     */
    default void checkNow() {
    }

    /**
     * Calls {@link #checkNow()} the moment the {@code times}-th line of this OS process matching
     * {@code pattern} is read (at once, if that many were already counted), and counts the
     * pattern from now on as {@link #countMatches} does: a probe that waits for a line passes when
     * the line comes, not at its next check. Meant for {@link Probe#spawned}. By default it does
     * nothing, and the period decides.
     *
     * @throws IllegalArgumentException if {@code times} is less than 1
     */
    default void checkNowOnMatch(java.util.regex.Pattern pattern, long times) {
    }

    /** {@code template} with {@code {port}}, {@code {id}} and {@code {name}} replaced for this instance. */
    default String expand(String template) {
        String s = template.replace("{id}", Integer.toString(instanceId())).replace("{name}", processName());
        if (s.contains("{port}")) {
            if (port().isEmpty()) {
                throw new IllegalStateException("'" + template + "' uses {port}, but process '" + processName()
                        + "' has no basePort");
            }
            s = s.replace("{port}", Integer.toString(port().getAsInt()));
        }
        return s;
    }
}
