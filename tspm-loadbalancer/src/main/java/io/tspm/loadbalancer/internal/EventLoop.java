package io.tspm.loadbalancer.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread and one selector serving many proxied connections; each loop of a proxy accepts its
 * own clients from the shared listening socket. Everything a loop owns (its connections, its
 * buffers) is touched only by its thread; other threads hand it clients through a queue.
 */
public final class EventLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final int FIRST_BUFFER_SIZE = 16 * 1024;

    final ProxySettings settings;
    final Selector selector;
    /**
     * A pipe starts with a small buffer (a short request or answer fits) and takes a full-size one
     * the first time a read fills it: a bulk stream moves in few large reads and writes, and ten
     * thousand short connections do not each hold the largest.
     */
    final BufferPool firstBuffers;
    final BufferPool fullBuffers;
    final Set<ProxiedConnection> connections = new HashSet<>();
    final Set<ProxiedConnection> connecting = new HashSet<>();
    /** The loop's time, read once per turn (System.nanoTime; I/O timeouts are real time). */
    long now;
    private final ConcurrentLinkedQueue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
    /** Channels whose keys were cancelled this turn: the next select deregisters them, then they close. */
    private List<SocketChannel> toClose = new ArrayList<>();
    private List<SocketChannel> spare = new ArrayList<>();
    private final long sweepEveryNanos;
    private long nextSweep;
    private volatile boolean running = true;
    private ServerSocketChannel server;
    private EventLoop[] loops;
    private int nextLoop;

    public EventLoop(ProxySettings settings) throws IOException {
        this.settings = settings;
        this.selector = Selector.open();
        int first = Math.min(FIRST_BUFFER_SIZE, settings.bufferSize());
        this.fullBuffers = new BufferPool(settings.bufferSize(), Math.max(4, (4 << 20) / settings.bufferSize()));
        this.firstBuffers = first == settings.bufferSize() ? fullBuffers : new BufferPool(first, 256);
        this.sweepEveryNanos = Math.min(TimeUnit.SECONDS.toNanos(1), settings.idleTimeout().toNanos() / 2);
    }

    /** Makes this loop the acceptor of {@code server}, handing clients to {@code loops} in turn. */
    public void accept(ServerSocketChannel server, EventLoop[] loops) throws IOException {
        this.server = server;
        this.loops = loops;
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Asks the loop to close everything and end; returns at once. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        now = System.nanoTime();
        nextSweep = now + sweepEveryNanos;
        try {
            while (running) {
                List<SocketChannel> cancelled = toClose;
                toClose = spare;
                spare = cancelled;
                if (cancelled.isEmpty()) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextDeadline() - System.nanoTime())));
                } else {
                    selector.selectNow(); // deregisters them without waiting for the next event
                    closeAll(cancelled);
                }
                now = System.nanoTime();
                adoptHandedOver();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    Object attached = key.attachment();
                    if (attached instanceof ProxiedConnection c) {
                        c.handle(key);
                    } else if (key.isAcceptable()) {
                        acceptAll();
                    }
                }
                timeOutConnects();
                if (now - nextSweep >= 0) {
                    sweep();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("proxy event loop for '{}' failed; its connections are closed", settings.group().name(), e);
        } finally {
            closeEverything();
        }
    }

    private long nextDeadline() {
        long next = nextSweep;
        for (ProxiedConnection c : connecting) {
            if (c.connectDeadline - next < 0) {
                next = c.connectDeadline;
            }
        }
        return next;
    }

    /** Closes {@code channel}, whose key was just cancelled, after the next select. */
    void closeAfterSelect(SocketChannel channel) {
        toClose.add(channel);
    }

    private static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        channels.clear();
    }

    private void acceptAll() throws IOException {
        SocketChannel client;
        while ((client = server.accept()) != null) {
            settings.counters().accepted.increment();
            if (settings.counters().open.incrementAndGet() > settings.maxConnections()) {
                settings.counters().open.decrementAndGet();
                settings.counters().overLimit.increment();
                client.close();
                continue;
            }
            EventLoop target = loops[nextLoop];
            nextLoop = (nextLoop + 1) % loops.length;
            if (target == this) {
                adopt(client);
            } else {
                target.handedOver.add(client);
                target.selector.wakeup();
            }
        }
    }

    private void adoptHandedOver() {
        SocketChannel client;
        while ((client = handedOver.poll()) != null) {
            adopt(client);
        }
    }

    private void adopt(SocketChannel client) {
        ProxiedConnection c = new ProxiedConnection(this, client);
        connections.add(c);
        c.start();
    }

    private void timeOutConnects() {
        if (connecting.isEmpty()) {
            return;
        }
        List<ProxiedConnection> late = null;
        for (ProxiedConnection c : connecting) {
            if (now - c.connectDeadline >= 0) {
                if (late == null) {
                    late = new ArrayList<>();
                }
                late.add(c);
            }
        }
        if (late != null) {
            late.forEach(ProxiedConnection::connectTimedOut);
        }
    }

    /** Reports bytes moved and closes connections idle for longer than the idle timeout. */
    private void sweep() {
        nextSweep = now + sweepEveryNanos;
        long idleNanos = settings.idleTimeout().toNanos();
        List<ProxiedConnection> idle = new ArrayList<>();
        for (ProxiedConnection c : connections) {
            c.reportBytes();
            if (now - c.lastActive >= idleNanos) {
                idle.add(c);
            }
        }
        for (ProxiedConnection c : idle) {
            settings.counters().idleClosed.increment();
            c.close();
        }
    }

    private void closeEverything() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (ProxiedConnection c : new ArrayList<>(connections)) {
            c.close();
        }
        SocketChannel client;
        while ((client = handedOver.poll()) != null) {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
            settings.counters().open.decrementAndGet();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        closeAll(toClose);
        closeAll(spare);
    }
}
