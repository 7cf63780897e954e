package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.util.Objects;

/**
 * The same endpoint for the same key, with the least movement when membership changes (jump
 * consistent hashing over instance ids, see {@link JumpHashRing}). Work without a key goes round
 * robin.
 *
 * @param key what is hashed
 */
public record HashStrategy(HashKey key) implements LoadBalancer {

    /** Checks the key. */
    public HashStrategy {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public Picker picker(Endpoints view) {
        return view.isEmpty() ? Pickers.NONE : new HashPicker(new JumpHashRing(view), key);
    }

    @Override
    public String name() {
        return key.strategyName();
    }

    @Override
    public String toString() {
        return name();
    }

    private static final class HashPicker implements Picker {
        private final JumpHashRing ring;
        private final HashKey key;
        private final PaddedCounter unkeyed = new PaddedCounter();

        HashPicker(JumpHashRing ring, HashKey key) {
            this.ring = ring;
            this.key = key;
        }

        @Override
        public Endpoint pick(PickContext context) {
            String k = key.of(context);
            if (k == null) {
                Endpoint[] members = ring.members();
                return Pickers.fromOrAfter(members, (int) (unkeyed.next() % members.length), context);
            }
            return ring.pick(JumpHashRing.hash(k), context);
        }
    }
}
