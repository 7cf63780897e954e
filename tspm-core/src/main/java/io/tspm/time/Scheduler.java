package io.tspm.time;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs short tasks after a delay: restart delays, stop timeouts, polls. Tasks must not block.
 * Inject a manual one in tests to drive time by hand; the default is one daemon thread per
 * supervisor.
 */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; cancelling the future prevents a pending run. */
    Future<?> schedule(Runnable task, Duration delay);

    /** A scheduler backed by an executor the caller owns (and shuts down). */
    static Scheduler of(ScheduledExecutorService executor) {
        java.util.Objects.requireNonNull(executor, "executor");
        return (task, delay) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
