package io.tspm.internal;

import io.tspm.OutputLine;
import io.tspm.spi.ProbeContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The probe context of one OS process of an instance. */
final class InstanceProbeContext implements ProbeContext {

    private final Engine engine;
    private final String process;
    private final int instanceId;
    private final long pid;
    private final OptionalInt port;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final InstanceOutput output;

    InstanceProbeContext(Engine engine, String process, int instanceId, long pid, OptionalInt port,
            Map<String, String> environment, Duration timeout, InstanceOutput output) {
        this.engine = engine;
        this.process = process;
        this.instanceId = instanceId;
        this.pid = pid;
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
        this.output = output;
    }

    /** The same context with another timeout (each probe has its own). */
    InstanceProbeContext withTimeout(Duration t) {
        return new InstanceProbeContext(engine, process, instanceId, pid, port, environment, t, output);
    }

    @Override
    public String processName() {
        return process;
    }

    @Override
    public int instanceId() {
        return instanceId;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public OptionalInt port() {
        return port;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public List<OutputLine> output() {
        return output.linesOf(pid);
    }

    @Override
    public long countMatches(java.util.regex.Pattern pattern) {
        return output.countMatches(pid, pattern);
    }

    @Override
    public Executor blockingExecutor() {
        return engine.blockingProbes;
    }

    @Override
    public <T> T shared(Class<T> key, Supplier<? extends T> create) {
        return engine.shared(key, create);
    }
}
