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
     * On a launcher thread: builds the launch plan, spawns, and registers the child with the
     * companion reaper at once, so no moment passes in which a JVM crash would orphan it.
     *
     * @param checkPort whether a fixed port ({@code basePort + id}) another program holds fails the
     *                  spawn (free ports are checked when they are handed out)
     */
    static SpawnedProcess spawn(Engine engine, ProcessSpec spec, int id, OptionalInt port, boolean checkPort)
            throws Exception {
        if (checkPort && port.isPresent() && !spec.freePorts() && !FreePorts.stillFree(port.getAsInt())) {
            throw new LaunchPlan.SpawnFailure("port " + port.getAsInt() + " of process '" + spec.name() + "' instance "
                    + id + " (basePort " + spec.basePort().orElse(0) + " + " + id + ") is in use by another program;"
                    + " stop what holds it, or give the process another basePort, or freePorts()");
        }
        LaunchPlan.Launch launch = LaunchPlan.build(spec, id, port, engine.platform, engine.parentDeathSignal,
                engine.spawnContext(spec.name(), id), engine.programs, engine.environments,
                engine.spawner.makesSessions());
        Process p;
        try {
            p = engine.spawner.start(launch.builder(), launch.environment());
        } catch (IOException e) {
            throw new LaunchPlan.SpawnFailure("cannot run " + launch.builder().command() + ": " + e.getMessage(), e);
        }
        long ticks = engine.tree.startTicks(p.pid());
        OrphanReaper reaper = engine.reaper();
        if (reaper != null && ticks >= 0) {
            reaper.register(p.pid(), ticks);
        }
        return new SpawnedProcess(p, ticks, spec.probes().isEmpty() ? Map.of()
                : Map.copyOf(launch.environment().toMap()));
    }
}
