package io.tspm;

import io.tspm.spi.Endpoint;

/**
 * An endpoint picked for one piece of work, counted in its in-flight work until closed: close it
 * when the work is done (try-with-resources), so least-connections and power-of-two see the load.
 * Closing twice counts once.
 */
public interface Lease extends AutoCloseable {

    /** The endpoint the work goes to. */
    Endpoint endpoint();

    /** Counts bytes moved for this work: {@code toInstance} sent to it, {@code fromInstance} it sent back. */
    default void bytes(long toInstance, long fromInstance) {
    }

    /**
     * The connect to the endpoint was refused or timed out: counted in its connect failures, and
     * this lease is not counted as served when closed.
     */
    default void connectFailed() {
    }

    /** The work is done: the endpoint's in-flight count goes down by one (once). */
    @Override
    void close();
}
