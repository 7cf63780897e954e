package io.tspm.internal;

import io.tspm.ProcessSpec;
import io.tspm.TspmException;
import io.tspm.event.ReloadFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a rolling, zero-downtime reload of a group: {@code reloadBatch} slots at a time, each
 * replacement started (on the slot's other port) and ready before it takes the old one's place;
 * the old one then drains and stops. The group holds the state that a stop must see (pending
 * replacements, instances let go, drains); this object is the procedure.
 */
final class Reload {

    private final Engine engine;
    private final ManagedGroup group;
    /** The spec the replacements get (a new one when the spec changed, else the group's). */
    private final ProcessSpec spec;
    /** The group's stop count when the reload began: a stop since ends it. */
    private final long epoch;

    Reload(Engine engine, ManagedGroup group, ProcessSpec spec, long epoch) {
        this.engine = engine;
        this.group = group;
        this.spec = spec;
        this.epoch = epoch;
    }

    /** Reloads slots {@code 0..size-1}, a batch at a time, each batch settled before the next. */
    CompletableFuture<Void> all(int size) {
        int batch = spec.reloadBatch();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < size; from += batch) {
            int a = from;
            int b = Math.min(size, from + batch);
            chain = chain.thenCompose(x -> slots(a, b));
        }
        return chain;
    }

    /**
     * Replaces the running instances with ids in [a, b): replacements first, each old one once its
     * replacement is ready. A stop of the old instance (or of the group) meanwhile cancels the swap.
     * Completes when every swap of the batch has settled (failing if one failed), so no second
     * reload overlaps a replacement still being given up.
     */
    CompletableFuture<Void> slots(int a, int b) {
        List<CompletableFuture<Void>> swaps = new ArrayList<>();
        for (int id = a; id < b; id++) {
            ManagedGroup.Replacement r;
            try {
                r = group.prepareReplacement(id, epoch, spec);
            } catch (IndexOutOfBoundsException scaledAway) {
                break;
            } catch (TspmException stopped) {
                swaps.add(CompletableFuture.failedFuture(stopped));
                break;
            }
            if (r != null) {
                swaps.add(replace(id, r));
            }
        }
        return CompletableFuture.allOf(swaps.toArray(new CompletableFuture<?>[0]));
    }

    private CompletableFuture<Void> replace(int slot, ManagedGroup.Replacement r) {
        CompletableFuture<Void> ready = engine.within(r.fresh().startAsync().thenCompose(x -> r.fresh().awaitReadyAsync()),
                spec.reloadTimeout());
        return ready.handle((x, e) -> e).thenCompose(error -> {
            String reason = group.swap(slot, r, error);
            if (reason != null) {
                engine.publish(new ReloadFailed(engine.now(), spec.name(), slot, reason));
                return group.stopTracked(r.fresh()).thenCompose(o -> CompletableFuture.<Void>failedFuture(
                        new TspmException("reload of process '" + spec.name() + "' failed at instance " + slot + ": "
                                + reason)));
            }
            // Drain: the old one keeps serving what it took before the swap, then stops (at once if
            // the group is stopped meanwhile, or the supervisor closes).
            CompletableFuture<Void> drained = group.drainOf(r.old());
            if (engine.schedule(() -> drained.complete(null), spec.reloadDrain()).isCancelled()) {
                drained.complete(null);
            }
            group.endDrainIfIdle(r.old()); // with tracked traffic: the drain ends with its last connection
            return drained.thenCompose(x -> group.stopTracked(r.old())).thenApply(o -> (Void) null);
        });
    }
}
