package io.tspm.junit;

import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import io.tspm.testing.NoLeakedProcessesExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The helpers shared by every test class of a run, kept in the root context's store: started by
 * the first class that asks, reused by the others, closed when the root context closes (the end of
 * the run). Also tells the leak check which processes are helpers still in use (shared ones, an
 * enclosing class's while its {@code @Nested} classes end, another class's in parallel), so that
 * only what a class itself left behind counts.
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit 5 before 5.13 closes only those
final class SharedHelpers implements Supplier<Set<Long>>, AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(NoLeakedProcessesExtension.SPARED_NAMESPACE);

    /** One shared key: its specs, and its run once started (or why it could not start). */
    private static final class Entry {
        final List<ProcessSpec> specs;
        HelperRun run;
        RuntimeException failure;

        Entry(List<ProcessSpec> specs) {
            this.specs = specs;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Every run of the extension that is open now, shared or not. */
    private final Set<HelperRun> open = ConcurrentHashMap.newKeySet();

    /** The run's registry, created in the root store by the first class that shares helpers. */
    static SharedHelpers of(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(NoLeakedProcessesExtension.SPARED_KEY, k -> new SharedHelpers(), SharedHelpers.class);
    }

    /**
     * The running helpers shared under {@code key}, started now by the first caller (the others
     * wait for it); a start that failed fails every class that asks for them, with the same cause.
     * The first declaration's specs run; one with other process names under the same key is
     * refused, naming both (specs are not compared further: a probe or hook written as a lambda
     * is a new object in every class).
     */
    HelperRun get(String key, List<ProcessSpec> specs, Consumer<Supervisor.Builder> configure) {
        Entry e = entries.computeIfAbsent(key, k -> new Entry(specs));
        if (!names(e.specs).equals(names(specs))) {
            throw new IllegalStateException("shared helpers '" + key + "' were first declared with the processes "
                    + names(e.specs) + ", but are now declared with " + names(specs) + ": give one of them another key");
        }
        synchronized (e) {
            if (e.run == null && e.failure == null) {
                try {
                    e.run = HelperRun.start(specs, configure, HelperRun.supervisorName("shared-" + key),
                            "the run (shared as '" + key + "')");
                    opened(e.run);
                } catch (RuntimeException failed) {
                    e.failure = failed;
                }
            }
            if (e.failure != null) {
                throw new HelperFailedException(e.failure.getMessage(), e.failure.getCause() != null
                        ? e.failure.getCause() : e.failure);
            }
            return e.run;
        }
    }

    private static List<String> names(List<ProcessSpec> specs) {
        List<String> names = new ArrayList<>();
        specs.forEach(s -> names.add(s.name()));
        return names;
    }

    /** Counts {@code run} as in use until it is closed. */
    void opened(HelperRun run) {
        open.add(run);
    }

    /** The pids the helpers in use hold now: the leak check spares them and their descendants. */
    @Override
    public Set<Long> get() {
        open.removeIf(HelperRun::isClosed);
        Set<Long> pids = new HashSet<>();
        for (HelperRun r : open) {
            pids.addAll(r.pids());
        }
        return pids;
    }

    /** Stops every shared helper: the run is over. */
    @Override
    public void close() {
        List<HelperRun> runs = new ArrayList<>();
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (e.run != null) {
                    runs.add(e.run);
                }
            }
        }
        runs.forEach(HelperRun::close);
    }
}
