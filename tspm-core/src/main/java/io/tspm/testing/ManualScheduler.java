package io.tspm.testing;

import io.tspm.time.Scheduler;
import io.tspm.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Scheduler} and {@link Ticker} driven by hand, for tests of restart, backoff and probe
 * timing that do not sleep: time moves only in {@link #advance(Duration)}, which runs the tasks
 * that fall due, in time order, on the calling thread. Give the same object as both:
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler();
 * Supervisor supervisor = Supervisor.builder().scheduler(time).ticker(time)...build();
 * time.advance(Duration.ofSeconds(2));   // a 2 s backoff has passed; the restart runs now
 * }</pre>
 *
 * Stopping a live process waits on this time too (its kill timeout and polls are scheduled here):
 * close such a supervisor through {@link #advanceDuring}, not on the test's thread alone.
 *
 * <p>Thread-safe: tasks may be scheduled from any thread; {@code advance} runs them on its caller's.
 */
public final class ManualScheduler implements Scheduler, Ticker {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long sequence;

    /** A manual time starting at an arbitrary origin, with nothing scheduled. */
    public ManualScheduler() {
    }

    /** The current manual time in nanoseconds; moves only in {@link #advance(Duration)}. */
    @Override
    public long read() {
        return now.get();
    }

    /** Queues {@code task} to run when time has advanced by {@code delay}; cancel it through the future. */
    @Override
    public synchronized Future<?> schedule(Runnable task, Duration delay) {
        Task t = new Task(now.get() + delay.toNanos(), sequence++, task, delay);
        tasks.add(t);
        return t;
    }

    /** Moves time forward, running every task due on the way. */
    public void advance(Duration d) {
        long target = now.get() + d.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at > target) {
                    break;
                }
                tasks.poll();
                now.set(Math.max(now.get(), next.at));
            }
            if (!next.cancelled) {
                next.done = true;
                next.task.run();
            }
        }
        now.set(Math.max(now.get(), target));
    }

    /**
     * Runs {@code call} on a new thread and moves time forward {@code step} at a time until it
     * returns, then throws again what it threw. For a call that waits on this time, such as
     * {@code Supervisor.close()} or a stop while a process is alive: the stop's polls and its kill
     * timeout fall due only as time moves, so called on a test's own thread it would wait forever.
     *
     * <pre>{@code
     * Supervisor s = Supervisor.builder().scheduler(time).ticker(time)...build();
     * try {
     *     ...
     * } finally {
     *     time.advanceDuring(s::close, Duration.ofMillis(10));
     * }
     * }</pre>
     *
     * After each step it waits up to a millisecond of real time for the call, so manual time runs
     * at most {@code step} per real millisecond: a real process told to stop has real time to do
     * so before a timeout of manual time kills it.
     *
     * If this ends before the call (the calling thread was interrupted, or a task that fell due
     * threw), the call's thread is interrupted, so that a wait of the supervisor's ends there too
     * rather than on time that no longer moves.
     *
     * @throws IllegalArgumentException when {@code step} is not positive
     * @throws IllegalStateException when the calling thread is interrupted
     */
    public void advanceDuring(Runnable call, Duration step) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, but was " + step);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "manual-time-call");
        runner.setDaemon(true);
        runner.start();
        try {
            while (runner.isAlive()) {
                advance(step);
                runner.join(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving time for a call that still runs on "
                    + runner.getName() + " (interrupted too)", e);
        } finally {
            if (runner.isAlive()) {
                runner.interrupt();
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException("the call failed", t); // a sneaky checked exception
        }
    }

    /** The delays with which the pending, not cancelled tasks were scheduled. */
    public synchronized List<Duration> pendingDelays() {
        List<Duration> out = new ArrayList<>();
        tasks.stream().filter(t -> !t.cancelled).sorted().forEach(t -> out.add(t.delay));
        return out;
    }

    /** How long until each pending, not cancelled task is due, soonest first. */
    public synchronized List<Duration> dueIn() {
        List<Duration> out = new ArrayList<>();
        tasks.stream().filter(t -> !t.cancelled).sorted()
                .forEach(t -> out.add(Duration.ofNanos(Math.max(0, t.at - now.get()))));
        return out;
    }

    private static final class Task implements Future<Object>, Comparable<Task> {
        final long at;
        final long seq;
        final Runnable task;
        final Duration delay;
        volatile boolean cancelled;
        volatile boolean done;

        Task(long at, long seq, Runnable task, Duration delay) {
            this.at = at;
            this.seq = seq;
            this.task = task;
            this.delay = delay;
        }

        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("manual task");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("manual task");
        }
    }
}
