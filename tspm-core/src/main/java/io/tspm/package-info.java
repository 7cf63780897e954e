/**
 * The supervisor and what it is built from: {@link io.tspm.Supervisor} (built by
 * {@link io.tspm.Supervisor#builder()}) runs the processes that {@link io.tspm.ProcessSpec}s
 * describe, restarts them under a {@link io.tspm.RestartPolicy}, and hands out runtime handles
 * ({@link io.tspm.ProcessGroup}, {@link io.tspm.ProcessInstance}) and snapshots
 * ({@link io.tspm.InstanceSnapshot}). The states an instance goes through are
 * {@link io.tspm.InstanceState}.
 */
package io.tspm;
