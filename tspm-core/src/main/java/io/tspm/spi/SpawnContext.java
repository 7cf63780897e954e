package io.tspm.spi;

import java.util.function.Supplier;

/** What a probe may know when a process of the instance is about to be spawned. */
public interface SpawnContext {

    String processName();

    int instanceId();

    /** The same shared objects as {@link ProbeContext#shared}: created on first use, closed with the supervisor. */
    <T> T shared(Class<T> key, Supplier<? extends T> create);
}
