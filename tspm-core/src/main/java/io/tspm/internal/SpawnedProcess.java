package io.tspm.internal;

import io.tspm.ProcessSpec;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A child just spawned for an instance: the process, the start ticks that name it with its pid
 * (-1 without /proc), and the environment it got (kept only when probes will need it).
 */
record SpawnedProcess(Process process, long startTicks, Map<String, String> environment) {

    /**
     * On the launcher thread: builds the launch plan, spawns, and registers the child with the
     * companion reaper at once, so no moment passes in which a JVM crash would orphan it.
     */
    static SpawnedProcess spawn(Engine engine, ProcessSpec spec, int id, OptionalInt port) throws Exception {
        ProcessBuilder pb = LaunchPlan.build(spec, id, port, engine.platform, engine.parentDeathSignal,
                engine.spawnContext(spec.name(), id), engine.programs, engine.spawner.makesSessions());
        Process p;
        try {
            p = engine.spawner.start(pb);
        } catch (IOException e) {
            throw new LaunchPlan.SpawnFailure("cannot run " + pb.command() + ": " + e.getMessage(), e);
        }
        long ticks = engine.tree.startTicks(p.pid());
        OrphanReaper reaper = engine.reaper();
        if (reaper != null && ticks >= 0) {
            reaper.register(p.pid(), ticks);
        }
        return new SpawnedProcess(p, ticks, spec.probes().isEmpty() ? Map.of() : Map.copyOf(pb.environment()));
    }
}
