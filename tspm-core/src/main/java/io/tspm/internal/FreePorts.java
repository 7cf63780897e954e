package io.tspm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out ports for {@code freePorts()} instances: one the kernel reports free, and that no
 * other instance in this JVM holds. The set of held ports is JVM-wide on purpose (the one static
 * state of the engine): ports belong to the machine, and two supervisors of one JVM (two test
 * classes in parallel) asking at once must never be handed the same one between the moment it is
 * chosen and the moment its process listens on it.
 */
final class FreePorts {

    private static final Set<Integer> HELD = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 100;

    private FreePorts() {
    }

    /**
     * A port nothing listens on (nor lingers on: chosen without {@code SO_REUSEADDR}, so a server
     * that binds without it can take it too) and that no instance of this JVM holds; held from now
     * until {@link #release(int)}.
     */
    static int allocate(String process, int id) {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(0));
                port = s.getLocalPort();
            } catch (IOException e) {
                last = e;
                continue;
            }
            if (HELD.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException("process '" + process + "': no free port for instance " + id + " after "
                + ATTEMPTS + " attempts", last != null ? last : new IOException("every port the kernel offered is held"));
    }

    /**
     * Whether {@code port} can still be listened on, as a server that sets {@code SO_REUSEADDR}
     * would (connections of an earlier process lingering in TIME_WAIT do not take it).
     */
    static boolean stillFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Gives {@code port} back: its instance is gone, or took another. */
    static void release(int port) {
        HELD.remove(port);
    }

    /** Whether an instance of this JVM holds {@code port}. */
    static boolean isHeld(int port) {
        return HELD.contains(port);
    }
}
