package io.tspm.loadbalancer;

/**
 * What a {@link TcpProxy} did since it opened. Per-instance figures (open connections, served,
 * bytes, connect failures, ejections) are in the group's snapshot, counted through the leases.
 *
 * @param open            client connections open now
 * @param accepted        client connections accepted
 * @param overLimit       client connections closed at once because {@code maxConnections} were open
 * @param unserved        client connections closed at once because no instance could take them
 *                        (none in the view, or every connect attempt failed)
 * @param connectFailures connects to instances that were refused or timed out (each retried elsewhere)
 * @param idleClosed      connections closed by the idle timeout
 * @param ejections       instances the proxy ejected for failing connects
 */
public record ProxyStats(int open, long accepted, long overLimit, long unserved, long connectFailures, long idleClosed,
        long ejections) {
}
