package io.tspm.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tspm.GroupSnapshot;
import io.tspm.InstanceSnapshot;
import io.tspm.ResourceUsage;
import io.tspm.Supervisor;
import io.tspm.SupervisorSnapshot;
import io.tspm.event.ProcessAdded;
import io.tspm.event.ProcessRemoved;
import io.tspm.event.Scaled;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A supervisor's figures in a Micrometer registry, the same as {@link PrometheusText} exports:
 * per instance {@code tspm.instance.up}, {@code .ready}, {@code .restarts}, {@code .cpu}
 * (seconds), {@code .memory.resident}, {@code .threads}, {@code .open.files}, {@code .start.time},
 * {@code .last.exit.code} and the traffic counters, tagged {@code process}, {@code instance} and
 * {@code namespace}. Meters follow the supervisor: a process added or scaled up gets its meters,
 * one removed or scaled down loses them. The meters read one snapshot, taken at most once per
 * {@code maxAge}, so a scrape of many meters costs one snapshot. Needs micrometer-core on the class
 * path (an optional dependency of tspm-config). Close it to unbind.
 */
public final class TspmMeterBinder implements MeterBinder, AutoCloseable {

    private final Supervisor supervisor;
    private final Duration maxAge;
    private final Clock clock;
    private final Object lock = new Object();
    private SupervisorSnapshot cached; // guarded by lock
    private long cachedAtMillis; // guarded by lock
    private final List<MeterRegistry> registries = new ArrayList<>(); // guarded by lock
    private final Map<String, List<Meter>> meters = new HashMap<>(); // by "process#id", guarded by lock
    private final SupervisorListener listener = this::onEvent;

    /** Figures of {@code supervisor}, from a snapshot at most 1 s old. */
    public TspmMeterBinder(Supervisor supervisor) {
        this(supervisor, Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** Figures of {@code supervisor}, from a snapshot at most {@code maxAge} old by {@code clock}. */
    public TspmMeterBinder(Supervisor supervisor, Duration maxAge, Clock clock) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        boolean first;
        synchronized (lock) {
            first = registries.isEmpty();
            registries.add(registry);
        }
        if (first) {
            supervisor.addListener(listener);
        } else { // a further registry: the instances already followed get their meters there too
            for (GroupSnapshot g : supervisor.snapshot().groups()) {
                for (InstanceSnapshot i : g.instances()) {
                    boolean followed;
                    synchronized (lock) {
                        followed = meters.containsKey(key(i.process(), i.instanceId()));
                    }
                    if (followed) {
                        List<Meter> registered = register(i, List.of(registry));
                        synchronized (lock) {
                            List<Meter> slot = meters.get(key(i.process(), i.instanceId()));
                            if (slot != null) {
                                slot.addAll(registered);
                            }
                        }
                    }
                }
            }
        }
        sync();
    }

    /** Removes every meter it registered and stops following the supervisor. */
    @Override
    public void close() {
        supervisor.removeListener(listener);
        List<List<Meter>> all;
        List<MeterRegistry> from;
        synchronized (lock) {
            all = new ArrayList<>(meters.values());
            from = List.copyOf(registries);
            meters.clear();
            registries.clear();
        }
        all.forEach(list -> from.forEach(r -> list.forEach(r::remove)));
    }

    private void onEvent(SupervisorEvent event) {
        if (event instanceof ProcessAdded || event instanceof ProcessRemoved || event instanceof Scaled) {
            sync();
        }
    }

    /** Registers the meters of instances that appeared and removes those of instances that went. */
    private void sync() {
        SupervisorSnapshot now = supervisor.snapshot();
        List<InstanceSnapshot> added = new ArrayList<>();
        List<List<Meter>> gone = new ArrayList<>();
        List<MeterRegistry> into;
        synchronized (lock) { // decide here; the registries (user code) are called after
            cached = now;
            cachedAtMillis = clock.millis();
            Map<String, InstanceSnapshot> present = new HashMap<>();
            for (GroupSnapshot g : now.groups()) {
                g.instances().forEach(i -> present.put(key(i.process(), i.instanceId()), i));
            }
            meters.entrySet().removeIf(e -> {
                if (!present.containsKey(e.getKey())) {
                    gone.add(e.getValue());
                    return true;
                }
                return false;
            });
            present.forEach((key, i) -> {
                if (!meters.containsKey(key)) {
                    meters.put(key, new ArrayList<>());
                    added.add(i);
                }
            });
            into = List.copyOf(registries);
        }
        gone.forEach(list -> into.forEach(r -> list.forEach(r::remove)));
        for (InstanceSnapshot i : added) {
            List<Meter> registered = register(i, into);
            synchronized (lock) {
                List<Meter> slot = meters.get(key(i.process(), i.instanceId()));
                if (slot != null) {
                    slot.addAll(registered);
                }
            }
        }
    }

    private static String key(String process, int id) {
        return process + "#" + id;
    }

    /** The instance as the latest snapshot (at most maxAge old) has it; null once it is gone. */
    private InstanceSnapshot current(String process, int id) {
        SupervisorSnapshot s;
        synchronized (lock) {
            if (cached == null || clock.millis() - cachedAtMillis >= maxAge.toMillis()) {
                cached = supervisor.snapshot();
                cachedAtMillis = clock.millis();
            }
            s = cached;
        }
        for (GroupSnapshot g : s.groups()) {
            if (g.name().equals(process) && id < g.instances().size()) {
                return g.instances().get(id);
            }
        }
        return null;
    }

    private List<Meter> register(InstanceSnapshot first, List<MeterRegistry> into) {
        String process = first.process();
        int id = first.instanceId();
        Tags tags = Tags.of("process", process, "instance", Integer.toString(id), "namespace", first.namespace());
        List<Meter> out = new ArrayList<>();
        for (MeterRegistry r : into) {
            gauge(out, r, "tspm.instance.up", "1 when the instance has a live process", null, tags, process, id,
                    i -> i.pid().isPresent() ? 1 : 0);
            gauge(out, r, "tspm.instance.ready", "1 when RUNNING and ready", null, tags, process, id,
                    i -> i.ready() ? 1 : 0);
            counter(out, r, "tspm.instance.restarts", "restarts after the first start", null, tags, process, id,
                    InstanceSnapshot::restarts);
            counter(out, r, "tspm.instance.cpu", "CPU time of the live process tree", "seconds", tags, process, id,
                    i -> i.resources().map(ResourceUsage::cpuSeconds).orElse(Double.NaN));
            gauge(out, r, "tspm.instance.memory.resident", "resident memory of the process tree", "bytes", tags,
                    process, id, i -> i.resources().map(u -> u.memoryBytes().isPresent()
                            ? (double) u.memoryBytes().getAsLong() : Double.NaN).orElse(Double.NaN));
            gauge(out, r, "tspm.instance.threads", "threads of the process tree", null, tags, process, id,
                    i -> i.resources().map(u -> (double) u.threads()).orElse(Double.NaN));
            gauge(out, r, "tspm.instance.open.files", "open files of the main process", null, tags, process, id,
                    i -> i.resources().map(u -> u.openFiles().isPresent() ? (double) u.openFiles().getAsInt()
                            : Double.NaN).orElse(Double.NaN));
            gauge(out, r, "tspm.instance.start.time", "when the current process was spawned", "seconds", tags,
                    process, id, i -> i.startedAt().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN));
            gauge(out, r, "tspm.instance.last.exit.code", "exit code of the last process", null, tags, process, id,
                    i -> i.lastExit().map(e -> (double) e.exitValue()).orElse(Double.NaN));
            gauge(out, r, "tspm.instance.connections.open", "leases and proxied connections open", null, tags,
                    process, id, i -> i.traffic().open());
            counter(out, r, "tspm.instance.connections.served", "leases and proxied connections served", null, tags,
                    process, id, i -> i.traffic().served());
            counter(out, r, "tspm.instance.received", "bytes proxied to the instance", "bytes", tags, process, id,
                    i -> i.traffic().bytesIn());
            counter(out, r, "tspm.instance.sent", "bytes the instance sent back", "bytes", tags, process, id,
                    i -> i.traffic().bytesOut());
            counter(out, r, "tspm.instance.connect.failures", "connects refused or timed out", null, tags, process, id,
                    i -> i.traffic().connectFailures());
            counter(out, r, "tspm.instance.ejections", "times ejected for failing", null, tags, process, id,
                    i -> i.traffic().ejections());
        }
        return out;
    }

    private void gauge(List<Meter> out, MeterRegistry r, String name, String description, String unit, Tags tags,
            String process, int id, ToDoubleFunction<InstanceSnapshot> f) {
        out.add(Gauge.builder(name, this, b -> read(b, process, id, f)).description(description).baseUnit(unit)
                .tags(tags).register(r));
    }

    private void counter(List<Meter> out, MeterRegistry r, String name, String description, String unit, Tags tags,
            String process, int id, ToDoubleFunction<InstanceSnapshot> f) {
        out.add(FunctionCounter.builder(name, this, b -> read(b, process, id, f)).description(description)
                .baseUnit(unit).tags(tags).register(r));
    }

    private static double read(TspmMeterBinder b, String process, int id, ToDoubleFunction<InstanceSnapshot> f) {
        InstanceSnapshot i = b.current(process, id);
        return i == null ? Double.NaN : f.applyAsDouble(i);
    }
}
