package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.PickContext;

/**
 * Jump consistent hashing (Lamping and Veach) over instance ids rather than positions in the view:
 * slot i is instance i, so growing from n to n+1 instances moves only the keys that jump to the new
 * slot (about 1/(n+1) of them), and losing an instance, scaled away or just not ready, moves only
 * its own keys: a key whose slot is empty rehashes, deterministically, until it finds a member.
 *
 * <p>Keys are cut into 65,536 buckets by the top bits of their hash, and it is a bucket that is
 * jump-hashed. So a view of up to {@value #TABLE_MAX_SLOTS} slots can look every bucket up in a
 * 64 KiB table built with the picker, and a pick costs a load instead of a jump's loop of double
 * divisions (about 27 ns on this machine, three quarters of a pick). The price is balance: each
 * slot holds a whole number of buckets, which adds about 1/sqrt(65,536 / n) to the spread (1.6%
 * at 16 instances, 12% at 1,000), on top of the spread of the keys themselves.
 */
final class JumpHashRing {

    /** Rehashes of a key whose slot is empty before the walk to the next member. */
    private static final int MAX_REHASHES = 8;

    /** The hash's top bits that choose a bucket. */
    private static final int BUCKET_BITS = 16;

    /**
     * The most slots a view may have and still get a lookup table: a slot fits in a byte, and the
     * table costs under about 3 ms to build (a group coming up one by one builds one per instance).
     */
    static final int TABLE_MAX_SLOTS = 256;

    private final Endpoint[] bySlot;
    private final Endpoint[] members;
    /** The slot of every bucket on a first attempt (unsigned bytes), or null above the table's size. */
    private final byte[] table;

    JumpHashRing(Endpoints view) {
        int slots = 0;
        for (Endpoint e : view.endpoints()) {
            slots = Math.max(slots, e.instanceId() + 1);
        }
        bySlot = new Endpoint[slots];
        for (Endpoint e : view.endpoints()) {
            bySlot[e.instanceId()] = e;
        }
        members = Pickers.toArray(view);
        table = slots <= TABLE_MAX_SLOTS ? buildTable() : null;
    }

    private byte[] buildTable() {
        byte[] t = new byte[1 << BUCKET_BITS];
        for (int bucket = 0; bucket < t.length; bucket++) {
            t[bucket] = (byte) walk(bucketKey(bucket), PickContext.NONE).instanceId();
        }
        return t;
    }

    /** The endpoint for a 64-bit key hash. */
    Endpoint pick(long hash, PickContext context) {
        int bucket = (int) (hash >>> (64 - BUCKET_BITS));
        if (table != null && context.attempt() == 0) {
            return bySlot[table[bucket] & 0xFF];
        }
        return walk(bucketKey(bucket), context);
    }

    /** A bucket's own well-spread 64-bit key, the one that is jump-hashed for all the keys in it. */
    private static long bucketKey(int bucket) {
        return mix((bucket + 1L) * 0x9E3779B97F4A7C15L);
    }

    /** The member a bucket's key lands on: its slot, else rehashes, else a walk from its slot. */
    private Endpoint walk(long hash, PickContext context) {
        long key = hash;
        for (int round = 0; round <= MAX_REHASHES; round++) {
            int slot = jump(key, bySlot.length);
            Endpoint e = bySlot[slot];
            if (e != null && !Pickers.avoided(e, context)) {
                return e;
            }
            key = mix(key + 0x9E3779B97F4A7C15L);
        }
        // Rare: most slots empty or avoided. A walk from the key's own slot keeps it stable.
        int start = jump(hash, members.length);
        return Pickers.fromOrAfter(members, start, context);
    }

    /** The endpoints of the view, by id. */
    Endpoint[] members() {
        return members;
    }

    /** Jump consistent hash: a bucket in [0, buckets) for {@code key}. */
    static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * (double) (1L << 31) / (double) ((key >>> 33) + 1));
        }
        return (int) b;
    }

    /** The 64-bit finaliser of MurmurHash3: spreads a weak hash (a String's) over all bits. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** A key's 64-bit hash: its cached {@link String#hashCode()}, spread. */
    static long hash(String key) {
        return mix(key.hashCode() * 0x9E3779B97F4A7C15L);
    }
}
