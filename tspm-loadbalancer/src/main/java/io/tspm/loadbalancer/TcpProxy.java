package io.tspm.loadbalancer;

import io.tspm.Human;
import io.tspm.ProcessGroup;
import io.tspm.loadbalancer.internal.EventLoop;
import io.tspm.loadbalancer.internal.OutlierDetector;
import io.tspm.loadbalancer.internal.ProxyCounters;
import io.tspm.loadbalancer.internal.ProxySettings;
import io.tspm.time.Ticker;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One listening port in front of a group: each client connection is handed to an instance the
 * group's load balancer picks, and bytes flow both ways until either side is done. For a program in
 * any language, not only one that shares a socket.
 *
 * <p>A few event-loop threads (NIO) serve every connection; each direction has a bounded buffer, and
 * a full one stops reading from its sender, so a slow reader never grows memory. A half-close
 * passes through. Each connection holds a {@link io.tspm.Lease} on its instance while it is open:
 * least-connections and power-of-two see the proxy's load, a reload's drain ends as soon as the old
 * instance's last connection closes, and the snapshot counts connections and bytes per instance. A
 * refused or timed-out connect is retried on another instance and counts toward
 * {@linkplain OutlierDetection outlier detection}. When no instance can take a connection, the
 * client's is closed at once.
 *
 * <p>Built with {@link #builder()}, or declared on a spec with {@code proxyPort(...)}, in which case
 * the supervisor opens it with the group and closes it with the group.
 */
public final class TcpProxy implements AutoCloseable {

    private final ProcessGroup group;
    private final InetSocketAddress address;
    private final ProxyCounters counters;
    private final ServerSocketChannel server;
    private final EventLoop[] loops;
    private final Thread[] threads;
    private final Object closeLock = new Object();
    private boolean closed;

    private TcpProxy(Builder b) throws IOException {
        this.group = b.group;
        this.counters = new ProxyCounters();
        OutlierDetector outliers = new OutlierDetector(b.outliers, new GroupInstances(b.group), b.ticker);
        ProxySettings settings = new ProxySettings(b.group, b.connectTimeout, b.idleTimeout, b.maxConnections,
                b.connectAttempts, b.bufferSize, outliers, counters);
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(b.address, b.port), b.backlog);
            server.configureBlocking(false);
            this.address = (InetSocketAddress) server.getLocalAddress();
            loops = new EventLoop[b.eventLoops];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new EventLoop(settings);
            }
            for (EventLoop loop : loops) {
                // Each loop accepts for itself: whichever is free takes the next client, and no
                // hand-over (a queue and a selector wake-up per connection) is needed.
                loop.accept(server, new EventLoop[] {loop});
            }
        } catch (BindException e) {
            server.close();
            BindException named = new BindException("process '" + group.name() + "': the proxy cannot listen on "
                    + b.address.getHostAddress() + ":" + b.port + " (" + e.getMessage() + ")");
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        threads = new Thread[loops.length];
        for (int i = 0; i < loops.length; i++) {
            threads[i] = new Thread(loops[i], "tspm-proxy-" + group.name() + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** A builder; {@link Builder#group(ProcessGroup)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The group behind the proxy. */
    public ProcessGroup group() {
        return group;
    }

    /** The address and port it listens on (the port chosen when 0 was asked). */
    public InetSocketAddress address() {
        return address;
    }

    /** The port it listens on. */
    public int port() {
        return address.getPort();
    }

    /** Its counters now. */
    public ProxyStats stats() {
        return counters.snapshot();
    }

    /**
     * Stops accepting, closes every connection (ending their leases) and waits for its threads to
     * end. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // The acceptor first, so nothing is handed to a loop that has already ended.
        stopAndJoin(0);
        for (int i = 1; i < loops.length; i++) {
            stopAndJoin(i);
        }
    }

    private void stopAndJoin(int i) {
        loops[i].stop();
        if (Thread.currentThread() == threads[i]) {
            return; // closed from its own loop: it ends when this returns
        }
        try {
            threads[i].join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpProxy{" + group.name() + " on " + address.getAddress().getHostAddress() + ":" + address.getPort()
                + ", " + stats() + "}";
    }

    /** The group as outlier detection needs it. */
    private record GroupInstances(ProcessGroup group) implements OutlierDetector.Instances {
        @Override
        public int total() {
            return group.instances().size();
        }

        @Override
        public boolean isEjected(int id) {
            return id < group.instances().size() && group.instance(id).isEjected();
        }

        @Override
        public void eject(int id, Duration time, String reason) {
            group.instance(id).eject(time, reason);
        }
    }

    /** Settings of a {@link TcpProxy}; each setter checks its value. */
    public static final class Builder {
        private ProcessGroup group;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private int eventLoops = Math.min(2, Runtime.getRuntime().availableProcessors());
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private int maxConnections = 10_000;
        private int connectAttempts = 3;
        private int bufferSize = 256 * 1024;
        private int backlog = 1024;
        private OutlierDetection outliers = OutlierDetection.DEFAULTS;
        private Ticker ticker = Ticker.system();

        Builder() {
        }

        /** The group to spread connections over (required). */
        public Builder group(ProcessGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** The address to listen on (default the loopback address). */
        public Builder address(InetAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port to listen on, 0..65535; 0 (the default) lets the system choose ({@link TcpProxy#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /** Event-loop threads, 1..64 (default 2, or 1 on one core). */
        public Builder eventLoops(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("eventLoops must be in 1..64, but was " + threads);
            }
            this.eventLoops = threads;
            return this;
        }

        /** How long a connect to an instance may take before it counts as failed (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** How long a connection may pass no byte either way before it is closed (default 5 min). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /** Client connections open at once, at least 1 (default 10,000); one more is closed at once. */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1, but was " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** Instances tried for one client connection, 1..16 (default 3): the first and the retries. */
        public Builder connectAttempts(int attempts) {
            if (attempts < 1 || attempts > 16) {
                throw new IllegalArgumentException("connectAttempts must be in 1..16, but was " + attempts);
            }
            this.connectAttempts = attempts;
            return this;
        }

        /**
         * The most each direction of each connection buffers, 1 KiB..16 MiB (default 256 KiB). A
         * direction starts with 16 KiB and takes the full size once a read fills that.
         */
        public Builder bufferSize(int bytes) {
            if (bytes < 1024 || bytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("bufferSize must be in 1 KiB..16 MiB, but was " + bytes);
            }
            this.bufferSize = bytes;
            return this;
        }

        /** The listen backlog, at least 1 (default 1024). */
        public Builder backlog(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("backlog must be >= 1, but was " + connections);
            }
            this.backlog = connections;
            return this;
        }

        /** Passive health from connect failures (default {@link OutlierDetection#DEFAULTS}). */
        public Builder outlierDetection(OutlierDetection settings) {
            this.outliers = Objects.requireNonNull(settings, "outlierDetection");
            return this;
        }

        /** The ticker outlier detection measures time by (default {@link Ticker#system()}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Binds the port and starts the event loops.
         *
         * @throws BindException when the port is taken: the message names the process, address and port
         * @throws IOException   when the port cannot be opened otherwise
         */
        public TcpProxy open() throws IOException {
            if (group == null) {
                throw new IllegalStateException("group must be set");
            }
            return new TcpProxy(this);
        }

        private static Duration positive(String field, Duration d) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be > 0, but was " + Human.duration(d));
            }
            return d;
        }
    }
}
