package io.tspm.healthcheck;

import io.tspm.OutputLine;
import io.tspm.spi.ProbeContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** A probe context outside any supervisor: one check of a probe, called directly. */
final class FixedProbeContext implements ProbeContext {

    private final Duration timeout;

    FixedProbeContext(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String processName() {
        return "p";
    }

    @Override
    public int instanceId() {
        return 0;
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public OptionalInt port() {
        return OptionalInt.empty();
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public List<OutputLine> output() {
        return List.of();
    }

    @Override
    public Executor blockingExecutor() {
        return r -> {
            Thread t = new Thread(r, "probe-test");
            t.setDaemon(true);
            t.start();
        };
    }

    @Override
    public <T> T shared(Class<T> key, Supplier<? extends T> create) {
        throw new UnsupportedOperationException("no shared objects outside a supervisor");
    }
}
