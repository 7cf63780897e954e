package io.tspm.examples.bench.peer;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One supervisor under test: the floor, tspm, PM2 or supervisord. */
interface Contender {

    String name();

    /** Null when it can run here; otherwise what is missing and how to install it. */
    String missing();

    /** Versions, paths and settings, for the report. */
    Map<String, Object> describe();

    /** Starts the supervisor idle, its files under {@code dir}; it is ready for commands on return. */
    Session open(Path dir, Workloads workloads) throws Exception;

    /**
     * A running supervisor. Each command returns once it is issued; its future completes when the
     * supervisor answered (PM2 and supervisord answer after their own checks), while the benchmark
     * times the effect in /proc.
     */
    interface Session extends AutoCloseable {

        /** The process whose children the workload's processes are, and whose memory counts. */
        long supervisorPid();

        /** What may be done before the clock starts for {@link #startSleepers}; nothing by default. */
        default void prepareSleepers(int n) throws Exception {
        }

        /** {@code n} children running {@link Workloads#sleeper()}, restarted at once when killed. */
        CompletableFuture<?> startSleepers(int n) throws Exception;

        CompletableFuture<?> stopSleepers(int n) throws Exception;

        /** Starts {@link Workloads#writer()} once; its stdout goes to the file returned. */
        Path startWriter() throws Exception;

        CompletableFuture<?> forgetWriter() throws Exception;

        /** Stops the supervisor; whatever is left of its process tree is killed. Idempotent. */
        @Override
        void close();
    }
}
