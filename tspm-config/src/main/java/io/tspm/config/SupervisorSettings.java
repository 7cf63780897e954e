package io.tspm.config;

import io.tspm.Supervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code supervisor:} section of a file: the settings of {@link Supervisor.Builder} a file can
 * hold. Each is null when the file does not set it, and the builder's default then applies.
 *
 * @param name               names the supervisor's threads
 * @param logDirectory       where processes write log files unless their logs say otherwise
 * @param sampleInterval     how often resource usage is sampled (zero: never)
 * @param startTimeout       how long start() and other blocking calls wait
 * @param stopOnStartFailure whether a failed start stops what it started
 * @param shutdownHook       whether a JVM shutdown hook stops every process
 * @param orphanProtection   whether children die with the JVM even on SIGKILL
 * @param parentDeathSignal  whether each child also gets the kernel's parent-death signal
 */
public record SupervisorSettings(String name, Path logDirectory, Duration sampleInterval, Duration startTimeout,
        Boolean stopOnStartFailure, Boolean shutdownHook, Boolean orphanProtection, Boolean parentDeathSignal) {

    /** Nothing set. */
    public static final SupervisorSettings NONE = new SupervisorSettings(null, null, null, null, null, null, null,
            null);

    /** Sets on {@code builder} what these settings set, and returns it. */
    public Supervisor.Builder applyTo(Supervisor.Builder builder) {
        Optional.ofNullable(name).ifPresent(builder::name);
        Optional.ofNullable(logDirectory).ifPresent(builder::logDirectory);
        Optional.ofNullable(sampleInterval).ifPresent(builder::sampleInterval);
        Optional.ofNullable(startTimeout).ifPresent(builder::startTimeout);
        Optional.ofNullable(stopOnStartFailure).ifPresent(builder::stopOnStartFailure);
        Optional.ofNullable(shutdownHook).ifPresent(builder::shutdownHook);
        Optional.ofNullable(orphanProtection).ifPresent(builder::orphanProtection);
        Optional.ofNullable(parentDeathSignal).ifPresent(builder::parentDeathSignal);
        return builder;
    }
}
