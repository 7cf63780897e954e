package io.tspm.loadbalancer.internal;

import io.tspm.ProcessGroup;
import io.tspm.loadbalancer.TcpProxy;
import io.tspm.spi.ProxyFactory;
import java.io.IOException;

/**
 * Opens a {@link TcpProxy} with its defaults (loopback, two event loops) for a spec that declares a
 * {@code proxyPort}; the supervisor finds it through {@link java.util.ServiceLoader}.
 */
public final class TcpProxyFactory implements ProxyFactory {

    /** For the service loader. */
    public TcpProxyFactory() {
    }

    @Override
    public AutoCloseable open(ProcessGroup group, int port) throws IOException {
        return TcpProxy.builder().group(group).port(port).open();
    }
}
