package io.tspm.spi;

/**
 * What a pick knows about the work to place. Every method has a default, and new needs arrive as
 * default methods, so implementations never break. Picks are on the hot path: implementations
 * return fields, never compute.
 */
public interface PickContext {

    /** A context with nothing to say: any endpoint will do. */
    PickContext NONE = new PickContext() {
    };

    /** The client's address, for address-hashing strategies; null when unknown. */
    default String clientAddress() {
        return null;
    }

    /** A key for hashing strategies (a user id, a session); null for none. */
    default String hashKey() {
        return null;
    }

    /** 0 for the first try, 1.. for retries after a failed connect. */
    default int attempt() {
        return 0;
    }

    /** Whether {@code endpoint} should be avoided (it just failed this request); a strategy picks another if it can. */
    default boolean avoid(Endpoint endpoint) {
        return false;
    }
}
