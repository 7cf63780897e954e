package io.tspm.loadbalancer.internal;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;

/** What every strategy's picker shares: the empty picker, the view as an array, the retry rule. */
final class Pickers {

    /** The picker of an empty view: nobody can take the work. */
    static final Picker NONE = context -> null;

    private Pickers() {
    }

    static Endpoint[] toArray(Endpoints view) {
        return view.endpoints().toArray(new Endpoint[0]);
    }

    /**
     * {@code endpoints[start]}, or on a retry the first one from {@code start} on (wrapping) that the
     * context does not avoid; {@code endpoints[start]} when it avoids them all (better a retry on a
     * failed instance than none).
     */
    static Endpoint fromOrAfter(Endpoint[] endpoints, int start, PickContext context) {
        Endpoint first = endpoints[start];
        if (context.attempt() == 0 || !context.avoid(first)) {
            return first;
        }
        int n = endpoints.length;
        for (int k = 1; k < n; k++) {
            Endpoint e = endpoints[(start + k) % n];
            if (!context.avoid(e)) {
                return e;
            }
        }
        return first;
    }

    /** Whether {@code e} should be passed over on this pick (only retries avoid anything). */
    static boolean avoided(Endpoint e, PickContext context) {
        return context.attempt() > 0 && context.avoid(e);
    }
}
