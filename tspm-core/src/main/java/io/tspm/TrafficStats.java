package io.tspm;

/**
 * The traffic one instance took through {@link ProcessGroup#pick} leases and the proxy.
 *
 * @param open            leases (connections) open on it now
 * @param served          leases closed after a successful connect
 * @param bytesIn         bytes sent to it
 * @param bytesOut        bytes it sent back
 * @param connectFailures connects to it that were refused or timed out
 * @param ejections       how many times it was ejected for failing
 */
public record TrafficStats(int open, long served, long bytesIn, long bytesOut, long connectFailures, int ejections) {

    /** Nothing yet. */
    public static final TrafficStats NONE = new TrafficStats(0, 0, 0, 0, 0, 0);

    @Override
    public String toString() {
        return open + " open, " + served + " served, " + Human.bytes(bytesIn) + " in, " + Human.bytes(bytesOut)
                + " out, " + connectFailures + " connect failures, " + ejections + " ejections";
    }
}
