package io.tspm.loadbalancer;

import io.tspm.spi.Endpoint;
import io.tspm.spi.PickContext;
import java.util.Set;

/** Pick contexts for strategy tests. */
final class Contexts {

    private Contexts() {
    }

    static PickContext client(String address) {
        return new PickContext() {
            @Override
            public String clientAddress() {
                return address;
            }
        };
    }

    static PickContext key(String key) {
        return new PickContext() {
            @Override
            public String hashKey() {
                return key;
            }
        };
    }

    /** A retry that avoids the endpoints with these ids. */
    static PickContext retryAvoiding(Set<Integer> ids) {
        return new PickContext() {
            @Override
            public int attempt() {
                return 1;
            }

            @Override
            public boolean avoid(Endpoint endpoint) {
                return ids.contains(endpoint.instanceId());
            }
        };
    }
}
