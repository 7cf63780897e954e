package io.tspm.spi;

import java.util.function.Supplier;

/** What a probe may know when a process of the instance is about to be spawned. */
public interface SpawnContext {

    String processName();

    int instanceId();

    /** An object shared by every probe of this supervisor under {@code key}, created on first use. */
    <T> T shared(Class<T> key, Supplier<? extends T> create);
}
