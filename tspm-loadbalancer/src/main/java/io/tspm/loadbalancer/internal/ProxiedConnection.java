package io.tspm.loadbalancer.internal;

import io.tspm.Lease;
import io.tspm.spi.Endpoint;
import io.tspm.spi.PickContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * One client connection and the instance connection it is paired with, run by one event loop.
 * It holds a lease on the instance for its whole life (so least-connections, draining and the
 * snapshot see it), retries a refused or timed-out connect on another instance, and is its own
 * pick context (client address, attempt, the instances that failed it).
 */
final class ProxiedConnection implements PickContext {

    private final EventLoop loop;
    private final ProxySettings settings;
    private final SocketChannel client;
    /** Read on the first call: only some strategies ask for it. */
    private String clientAddress;
    private boolean clientAddressRead;
    private final int[] failedIds;
    private SelectionKey clientKey;
    private SocketChannel upstream;
    private SelectionKey upstreamKey;
    private Lease lease;
    private int attempt;
    /** Client to instance, and instance to client; null until connected. */
    private Pipe up;
    private Pipe down;
    long connectDeadline;
    long lastActive;
    private boolean closed;

    ProxiedConnection(EventLoop loop, SocketChannel client) {
        this.loop = loop;
        this.settings = loop.settings;
        this.client = client;
        this.failedIds = new int[settings.connectAttempts()];
    }

    @Override
    public String clientAddress() {
        if (!clientAddressRead) {
            clientAddressRead = true;
            try {
                SocketAddress remote = client.getRemoteAddress();
                if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
                    clientAddress = inet.getAddress().getHostAddress();
                }
            } catch (IOException e) {
                // gone already: the connection fails on its next read
            }
        }
        return clientAddress;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public boolean avoid(Endpoint endpoint) {
        for (int i = 0; i < attempt; i++) {
            if (failedIds[i] == endpoint.instanceId()) {
                return true;
            }
        }
        return false;
    }

    /** Registers the client (not read until an instance is connected) and connects to an instance. */
    void start() {
        try {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            clientKey = client.register(loop.selector, 0, this);
        } catch (IOException e) {
            close();
            return;
        }
        lastActive = loop.now;
        connectNext();
    }

    /** Picks an instance and connects, trying the next on an immediate failure. */
    private void connectNext() {
        while (!closed) {
            Optional<Lease> picked = settings.group().pick(this);
            if (picked.isEmpty()) {
                settings.counters().unserved.increment();
                close();
                return;
            }
            lease = picked.get();
            Endpoint e = lease.endpoint();
            try {
                upstream = SocketChannel.open();
                upstream.configureBlocking(false);
                upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
                // A loopback connect has usually completed by the time connect returns: finishing it
                // now saves registering for OP_CONNECT and a turn of the selector.
                boolean connected = upstream.connect(new InetSocketAddress(e.host(), e.port()))
                        || upstream.finishConnect();
                upstreamKey = upstream.register(loop.selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    connected();
                } else {
                    connectDeadline = loop.now + settings.connectTimeout().toNanos();
                    loop.connecting.add(this);
                }
                return;
            } catch (IOException refused) {
                if (!connectFailed()) {
                    return;
                }
            }
        }
    }

    /** The connect did not finish in time. */
    void connectTimedOut() {
        if (connectFailed()) {
            connectNext();
        }
    }

    /** Counts a failed connect against its instance; whether another attempt may follow. */
    private boolean connectFailed() {
        loop.connecting.remove(this);
        closeQuietly(upstream);
        upstream = null;
        upstreamKey = null;
        settings.counters().connectFailures.increment();
        int id = lease.endpoint().instanceId();
        lease.connectFailed();
        lease.close();
        lease = null;
        if (settings.outliers().connectFailed(id) != null) {
            settings.counters().ejections.increment();
        }
        failedIds[attempt++] = id;
        if (attempt >= failedIds.length) {
            settings.counters().unserved.increment();
            close();
            return false;
        }
        return true;
    }

    private void connected() throws IOException {
        loop.connecting.remove(this);
        settings.outliers().connected(lease.endpoint().instanceId());
        up = new Pipe(client, upstream, loop.firstBuffers, loop.fullBuffers);
        down = new Pipe(upstream, client, loop.firstBuffers, loop.fullBuffers);
        lastActive = loop.now;
        // A client usually sent its request while the instance was being connected: passing it on
        // now saves a turn of the selector on every fresh connection.
        try {
            up.transfer();
        } catch (IOException e) {
            close();
            return;
        }
        updateInterests();
    }

    /** Handles what the selector says {@code key} is ready for. */
    void handle(SelectionKey key) {
        if (closed) {
            return;
        }
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                boolean done;
                try {
                    done = upstream.finishConnect();
                } catch (IOException refused) {
                    if (connectFailed()) {
                        connectNext();
                    }
                    return;
                }
                if (done) {
                    connected();
                }
                return;
            }
            if (up == null) {
                return;
            }
            boolean fromClient = key == clientKey;
            Pipe in = fromClient ? up : down;
            Pipe out = fromClient ? down : up;
            // Writable: what waits goes out, and the room it leaves is filled from the sender.
            if ((ready & SelectionKey.OP_WRITE) != 0 && out.transfer()) {
                lastActive = loop.now;
            }
            if ((ready & SelectionKey.OP_READ) != 0 && in.wantsRead() && in.transfer()) {
                lastActive = loop.now;
            }
            if (up.done() && down.done()) {
                finish();
                return;
            }
            updateInterests();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    private void updateInterests() {
        int c = (up.wantsRead() ? SelectionKey.OP_READ : 0) | (down.wantsWrite() ? SelectionKey.OP_WRITE : 0);
        int u = (down.wantsRead() ? SelectionKey.OP_READ : 0) | (up.wantsWrite() ? SelectionKey.OP_WRITE : 0);
        if (clientKey.interestOps() != c) {
            clientKey.interestOps(c);
        }
        if (upstreamKey.interestOps() != u) {
            upstreamKey.interestOps(u);
        }
    }

    /** Adds the bytes moved since the last report to the instance's figures. */
    void reportBytes() {
        if (lease != null && up != null) {
            long toInstance = up.takeUnreported();
            long fromInstance = down.takeUnreported();
            if (toInstance != 0 || fromInstance != 0) {
                lease.bytes(toInstance, fromInstance);
            }
        }
    }

    boolean connecting() {
        return upstream != null && up == null;
    }

    /**
     * Both directions are over: each peer has had every byte and the end of stream. The channels
     * close once the selector has let go of them (so the JDK's close does not shut down their
     * output again, which fails and throws on a socket already shut both ways).
     */
    private void finish() {
        clientKey.cancel();
        upstreamKey.cancel();
        loop.closeAfterSelect(client);
        loop.closeAfterSelect(upstream);
        release();
    }

    /** Closes both sides and ends the lease; once. */
    void close() {
        if (closed) {
            return;
        }
        closeQuietly(client);
        closeQuietly(upstream);
        release();
    }

    /** Ends the lease, gives back the buffers and counts the connection closed; once. */
    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        loop.connections.remove(this);
        loop.connecting.remove(this);
        reportBytes();
        if (lease != null) {
            lease.close();
        }
        if (up != null) {
            up.release();
            down.release();
        }
        settings.counters().open.decrementAndGet();
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "ProxiedConnection{" + clientAddress + " -> " + (lease != null ? lease.endpoint() : "none") + "}";
    }
}
