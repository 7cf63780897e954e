package io.tspm.config.internal;

import io.tspm.config.SupervisorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The keys of the {@code supervisor:} section: the settings of Supervisor.Builder a file can hold. */
public final class SupervisorKeys {

    /** The section while it is bound. */
    public static final class Draft {
        String name;
        Path logDirectory;
        Duration sampleInterval;
        Duration startTimeout;
        Boolean stopOnStartFailure;
        Boolean shutdownHook;
        Boolean orphanProtection;
        Boolean parentDeathSignal;

        /** The settings bound. */
        public SupervisorSettings build() {
            return new SupervisorSettings(name, logDirectory, sampleInterval, startTimeout, stopOnStartFailure,
                    shutdownHook, orphanProtection, parentDeathSignal);
        }
    }

    private static final KeyTable<Draft, SupervisorSettings> TABLE = new KeyTable<>(List.of(
            Key.of("name", Shapes.string(), "Names the supervisor's threads (default supervisor).",
                    (d, n, p, v) -> v.string(n, p, "a name").ifPresent(x -> {
                        io.tspm.Supervisor.builder().name(x); // checks it, naming the key
                        d.name = x;
                    }), SupervisorSettings::name),
            Key.of("logDirectory", Shapes.string(), "Where every process writes its log files (default none).",
                    (d, n, p, v) -> v.string(n, p, "a directory").ifPresent(x -> d.logDirectory = Path.of(x)),
                    s -> s.logDirectory() == null ? null : s.logDirectory().toString()),
            Key.of("sampleInterval", Shapes.duration(), "How often resource usage is sampled (default 1s; 0: never).",
                    (d, n, p, v) -> v.duration(n, p).ifPresent(x -> d.sampleInterval = x),
                    s -> s.sampleInterval() == null ? null : Units.duration(s.sampleInterval())),
            Key.of("startTimeout", Shapes.duration(), "How long start() waits for every process (default 60s).",
                    (d, n, p, v) -> v.duration(n, p).ifPresent(x -> {
                        io.tspm.Supervisor.builder().startTimeout(x);
                        d.startTimeout = x;
                    }), s -> s.startTimeout() == null ? null : Units.duration(s.startTimeout())),
            Key.of("stopOnStartFailure", Shapes.bool(), "Whether a failed start stops what it started (default true).",
                    (d, n, p, v) -> v.bool(n, p).ifPresent(x -> d.stopOnStartFailure = x),
                    SupervisorSettings::stopOnStartFailure),
            Key.of("shutdownHook", Shapes.bool(), "Whether a JVM shutdown hook stops every process (default true).",
                    (d, n, p, v) -> v.bool(n, p).ifPresent(x -> d.shutdownHook = x), SupervisorSettings::shutdownHook),
            Key.of("orphanProtection", Shapes.bool(), "Whether children die with the JVM even on SIGKILL (default"
                    + " true).", (d, n, p, v) -> v.bool(n, p).ifPresent(x -> d.orphanProtection = x),
                    SupervisorSettings::orphanProtection),
            Key.of("parentDeathSignal", Shapes.bool(), "Also the kernel's parent-death signal per child (default"
                    + " false).", (d, n, p, v) -> v.bool(n, p).ifPresent(x -> d.parentDeathSignal = x),
                    SupervisorSettings::parentDeathSignal)));

    private SupervisorKeys() {
    }

    /** The table. */
    public static KeyTable<Draft, SupervisorSettings> table() {
        return TABLE;
    }
}
