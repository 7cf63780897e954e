package io.tspm.spi;

import io.tspm.ProcessGroup;
import java.io.IOException;

/**
 * Opens the TCP proxy a spec asks for with {@code proxyPort}: the supervisor finds one with
 * {@link java.util.ServiceLoader} (tspm-loadbalancer provides it), opens it when the process is
 * added and closes it when the process is removed or the supervisor closes.
 */
public interface ProxyFactory {

    /**
     * Listens on {@code port} and forwards each connection to an instance {@code group} picks;
     * throws when the port cannot be bound, naming the port and the process.
     */
    AutoCloseable open(ProcessGroup group, int port) throws IOException;
}
