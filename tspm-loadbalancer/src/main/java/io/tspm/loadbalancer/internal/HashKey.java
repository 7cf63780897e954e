package io.tspm.loadbalancer.internal;

import io.tspm.spi.PickContext;

/** What a hashing strategy hashes. */
public enum HashKey {

    /** The client's address: the seed's {@code ip-hash}. */
    CLIENT_ADDRESS("ip-hash"),
    /** The context's hash key (a user, a session), else the client's address. */
    HASH_KEY("consistent-hash");

    private final String strategyName;

    HashKey(String strategyName) {
        this.strategyName = strategyName;
    }

    /** The configuration name of the strategy that hashes this key. */
    public String strategyName() {
        return strategyName;
    }

    /** The key of this work, or null when it has none. */
    String of(PickContext context) {
        if (this == HASH_KEY) {
            String key = context.hashKey();
            if (key != null) {
                return key;
            }
        }
        return context.clientAddress();
    }
}
