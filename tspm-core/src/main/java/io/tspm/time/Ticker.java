package io.tspm.time;

/**
 * A source of monotonic nanoseconds for uptimes and delays. Inject a fake one in tests; the default
 * is {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long read();

    /** {@link System#nanoTime()}, the default. */
    static Ticker system() {
        return System::nanoTime;
    }
}
