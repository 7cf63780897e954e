package io.tspm.internal;

import io.tspm.OutputLine;
import io.tspm.spi.ProbeContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

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
    /** The monitor of this process's probes, once it started; shared by the copies {@link #withTimeout} makes. */
    private final AtomicReference<HealthMonitor> monitor;

    InstanceProbeContext(Engine engine, String process, int instanceId, long pid, OptionalInt port,
            Map<String, String> environment, Duration timeout, InstanceOutput output) {
        this(engine, process, instanceId, pid, port, environment, timeout, output, new AtomicReference<>());
    }

    private InstanceProbeContext(Engine engine, String process, int instanceId, long pid, OptionalInt port,
            Map<String, String> environment, Duration timeout, InstanceOutput output,
            AtomicReference<HealthMonitor> monitor) {
        this.engine = engine;
        this.process = process;
        this.instanceId = instanceId;
        this.pid = pid;
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
        this.output = output;
        this.monitor = monitor;
    }

    /** The same context with another timeout (each probe has its own). */
    InstanceProbeContext withTimeout(Duration t) {
        return new InstanceProbeContext(engine, process, instanceId, pid, port, environment, t, output, monitor);
    }

    /** From now on {@link #checkNow()} reaches {@code m}; before, a wake-up is dropped (the first check sees its cause). */
    void bind(HealthMonitor m) {
        monitor.set(m);
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
    public long countMatches(Pattern pattern) {
        return output.countMatches(pid, pattern);
    }

    @Override
    public void checkNow() {
        HealthMonitor m = monitor.get();
        if (m != null) {
            m.checkNow();
        }
    }

    @Override
    public void checkNowOnMatch(Pattern pattern, long times) {
        java.util.Objects.requireNonNull(pattern, "pattern");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, but was " + times);
        }
        output.onCount(pid, pattern, times, this::checkNow);
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
