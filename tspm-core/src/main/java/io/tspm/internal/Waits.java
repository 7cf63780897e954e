package io.tspm.internal;

import io.tspm.ProcessStartException;
import io.tspm.StartCancelledException;
import io.tspm.TspmException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The blocking side of the API: waits for a future, bounded, and throws on the caller's thread. A
 * failure that happened on one of the supervisor's threads is thrown again as an exception of the
 * same type created here, with the original as its cause, so the stack trace starts in the
 * caller's code (as {@code CompletableFuture.join} does with its {@code CompletionException}).
 */
final class Waits {

    private Waits() {
    }

    /**
     * Waits up to {@code timeout}; then throws what {@code onTimeout} gives (the operation itself
     * goes on: a timeout ends the wait, not the work).
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout,
            Supplier<? extends RuntimeException> onTimeout) {
        try {
            return future.get(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw onTimeout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TspmException("interrupted while waiting (the operation goes on in the background)", e);
        } catch (ExecutionException e) {
            throw onCallerThread(e.getCause());
        } catch (CancellationException e) {
            throw new TspmException("the operation was cancelled", e);
        }
    }

    /** Waits without a bound: only for operations bounded by themselves (a stop ends at its kill). */
    public static <T> T join(CompletableFuture<T> future) {
        return await(future, Duration.ofDays(365L * 100),
                () -> new IllegalStateException("a wait without a bound ended"));
    }

    /**
     * The failure {@code t} (unwrapped from completion wrappers) as a new exception of the same
     * kind thrown from here, its cause the original; errors are rethrown as they are.
     */
    public static RuntimeException onCallerThread(Throwable t) {
        Throwable original = unwrap(t);
        if (original instanceof Error) {
            throw (Error) original;
        }
        String message = original.getMessage();
        if (original instanceof StartCancelledException) {
            StartCancelledException c = (StartCancelledException) original;
            return new StartCancelledException(c.processName(), c.instanceId(), c.cancelledBy(), original);
        }
        if (original instanceof ProcessStartException) {
            ProcessStartException p = (ProcessStartException) original;
            return new ProcessStartException(p.processName(), p.instanceId(), p.reason(), p.recentOutput(), original);
        }
        if (original instanceof IllegalStateException) {
            return new IllegalStateException(message, original);
        }
        if (original instanceof IllegalArgumentException) {
            return new IllegalArgumentException(message, original);
        }
        if (original instanceof UncheckedIOException) {
            return new UncheckedIOException(message, ((UncheckedIOException) original).getCause());
        }
        return new TspmException(message != null ? message : original.toString(), original);
    }

    /** The failure behind {@code CompletionException}s and {@code ExecutionException}s. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
