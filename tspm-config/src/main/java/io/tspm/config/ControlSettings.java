package io.tspm.config;

/**
 * The {@code control:} section: where the runner's control API listens. Loopback unless
 * {@code allowRemote} says otherwise (the token is needed either way).
 *
 * @param address     the address to bind (default 127.0.0.1)
 * @param port        the port, 0 for one the system picks (the default; the runner writes it down)
 * @param allowRemote whether an address other than loopback may be bound
 */
public record ControlSettings(String address, int port, boolean allowRemote) {

    /** Loopback, a port the system picks, remote refused. */
    public static final ControlSettings DEFAULTS = new ControlSettings("127.0.0.1", 0, false);

    /** Checks each; a non-loopback address needs {@code allowRemote}. */
    public ControlSettings {
        java.util.Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("control.port must be in 0..65535, but was " + port);
        }
        boolean loopback = address.equals("127.0.0.1") || address.equals("::1") || address.equals("localhost")
                || address.startsWith("127.");
        if (!loopback && !allowRemote) {
            throw new IllegalArgumentException("control.address " + address + " is not loopback: set"
                    + " control.allowRemote: true to listen there (the token is still required)");
        }
    }
}
