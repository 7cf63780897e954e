package io.tspm;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one instance looked like at one moment; see {@link Supervisor#list()}.
 *
 * @param process        the process (group) name
 * @param namespace      the process's namespace
 * @param instanceId     0..instances-1
 * @param state          the state at the moment of the snapshot
 * @param ready          RUNNING, and its readiness probe (if any) passing: load balancing may pick it
 * @param pid            the live OS process id, empty when none runs
 * @param restarts       how many times the instance was started again after its first start
 * @param uptime         how long the current OS process has run; zero when none runs
 * @param startedAt      when the current (or last) OS process was spawned, empty before the first
 * @param lastExit       how the last OS process ended, empty before the first exit
 * @param failureReason  why the instance is {@link InstanceState#FAILED}, empty otherwise
 * @param crashStats     figures derived from its exits: crashes, restarts in the window, backoff, MTBF
 * @param resources      CPU, memory and threads of its process tree at the last sample, empty before one
 * @param port           the port it is given (it changes lane in a reload), empty without a basePort
 * @param probes         the last word of each of its probes (of its current or last process)
 * @param output         the counters of its output
 * @param traffic        what it served through picks and the proxy
 */
public record InstanceSnapshot(
        String process,
        String namespace,
        int instanceId,
        InstanceState state,
        boolean ready,
        OptionalLong pid,
        int restarts,
        Duration uptime,
        Optional<Instant> startedAt,
        Optional<ExitStatus> lastExit,
        Optional<String> failureReason,
        CrashStats crashStats,
        Optional<ResourceUsage> resources,
        java.util.OptionalInt port,
        java.util.List<ProbeStatus> probes,
        OutputStats output,
        TrafficStats traffic) {

    /** Copies the list of probes. */
    public InstanceSnapshot {
        probes = java.util.List.copyOf(probes);
    }

    /** One line a person reads: {@code web#0 RUNNING ready pid 4242, up 5 min 3 s, 2 restarts, last exit ...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(process).append('#').append(instanceId).append(' ').append(state);
        if (state == InstanceState.RUNNING) {
            sb.append(ready ? " ready" : " not ready");
        }
        port.ifPresent(p -> sb.append(" port ").append(p));
        pid.ifPresent(p -> sb.append(" pid ").append(p).append(", up ")
                .append(Human.duration(uptime)));
        sb.append(", ").append(restarts).append(restarts == 1 ? " restart" : " restarts");
        lastExit.ifPresent(e -> sb.append(", last exit: ").append(e));
        failureReason.ifPresent(r -> sb.append(", failed: ").append(r));
        resources.ifPresent(r -> sb.append(", ").append(r));
        probes.stream().filter(p -> p.checked() && !p.passing()).forEach(p -> sb.append(", ").append(p));
        if (!DEFAULT_NAMESPACE.equals(namespace)) {
            sb.append(", namespace ").append(namespace);
        }
        return sb.toString();
    }

    private static final String DEFAULT_NAMESPACE = ProcessSpec.DEFAULT_NAMESPACE;
}
