package io.tspm.testsupport;

import io.tspm.ProcessGroup;
import io.tspm.spi.ProxyFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A proxy that only binds its port: enough to test that the supervisor opens a spec's proxy with
 * the process and closes it with the process (the real one is tspm-loadbalancer's).
 */
public final class SocketProxyFactory implements ProxyFactory {

    /** The proxies open now, by port. */
    public static final Map<Integer, String> OPEN = new ConcurrentHashMap<>();

    @Override
    public AutoCloseable open(ProcessGroup group, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            socket.close();
            throw new IOException("port " + port + " is in use", e);
        }
        OPEN.put(port, group.name());
        return () -> {
            OPEN.remove(port);
            socket.close();
        };
    }
}
