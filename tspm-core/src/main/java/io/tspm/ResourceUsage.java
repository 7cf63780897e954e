package io.tspm;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What an instance's whole process tree used at the last sample (the process and every descendant
 * in its session: a wrapper script does not hide the program it runs).
 *
 * @param sampledAt   when, by the supervisor's clock
 * @param cpuPercent  CPU time over the last interval, in percent of one core (may exceed 100)
 * @param cpuPercentAverage the mean of {@code cpuPercent} over the last samples (up to
 *                    {@link #AVERAGED_SAMPLES}) of the same process: steadier than one interval
 * @param memoryBytes resident memory of the tree; empty where the platform does not tell (no /proc)
 * @param threads     threads of the tree (0 where unknown)
 * @param processes   processes in the tree
 * @param openFiles   open file descriptors of the main process, where cheap to count (Linux)
 * @param cpuSeconds  CPU time the tree's live processes have used since they started, in seconds
 *                    (user and system; 0 where unknown): the counter metrics export
 */
public record ResourceUsage(Instant sampledAt, double cpuPercent, double cpuPercentAverage, OptionalLong memoryBytes,
        int threads, int processes, OptionalInt openFiles, double cpuSeconds) {

    /** How many samples {@link #cpuPercentAverage()} is the mean of, at most. */
    public static final int AVERAGED_SAMPLES = 10;

    /** A sample whose average is not known yet (it is its own), with no CPU time. */
    public ResourceUsage(Instant sampledAt, double cpuPercent, OptionalLong memoryBytes, int threads, int processes,
            OptionalInt openFiles) {
        this(sampledAt, cpuPercent, cpuPercent, memoryBytes, threads, processes, openFiles, 0);
    }

    /** A sample with no CPU time. */
    public ResourceUsage(Instant sampledAt, double cpuPercent, double cpuPercentAverage, OptionalLong memoryBytes,
            int threads, int processes, OptionalInt openFiles) {
        this(sampledAt, cpuPercent, cpuPercentAverage, memoryBytes, threads, processes, openFiles, 0);
    }

    /** This sample with {@code average} as its rolling CPU average. */
    public ResourceUsage withCpuPercentAverage(double average) {
        return new ResourceUsage(sampledAt, cpuPercent, average, memoryBytes, threads, processes, openFiles, cpuSeconds);
    }

    /** {@code cpu 1.5%, 12.3 MiB, 3 threads in 2 processes, 8 open files}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("cpu ")
                .append(String.format(java.util.Locale.ROOT, "%.1f%% (%.1f%% on average)", cpuPercent,
                        cpuPercentAverage));
        memoryBytes.ifPresent(m -> sb.append(", ").append(Human.bytes(m)));
        sb.append(", ").append(threads).append(threads == 1 ? " thread" : " threads").append(" in ").append(processes)
                .append(processes == 1 ? " process" : " processes");
        openFiles.ifPresent(f -> sb.append(", ").append(f).append(" open files"));
        return sb.toString();
    }
}
