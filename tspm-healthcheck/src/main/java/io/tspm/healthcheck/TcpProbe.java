package io.tspm.healthcheck;

import io.tspm.Human;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Passes when a TCP connection opens. Asynchronous: no thread waits on the connect. Immutable; two
 * probes of the same host and port template are equal ({@code tcp(8080)} equals {@code tcp("8080")}).
 */
public final class TcpProbe implements BuiltInProbe {

    private final String host;
    private final String portTemplate;

    TcpProbe(String host, String portTemplate) {
        this.host = Objects.requireNonNull(host, "host");
        this.portTemplate = Objects.requireNonNull(portTemplate, "port");
    }

    /** The host connected to (default {@code 127.0.0.1}). */
    public String host() {
        return host;
    }

    /** The port as given: a number ({@code "8080"}) or a template ({@code "{port}"}) expanded at each check. */
    public String portTemplate() {
        return portTemplate;
    }

    /** {@code tcp}. */
    @Override
    public String type() {
        return "tcp";
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        String expanded = context.expand(portTemplate);
        String target = host + ":" + expanded;
        int port;
        try {
            port = Integer.parseInt(expanded);
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(ProbeResult.fatal("tcp probe port '" + portTemplate
                    + "' is not a number"));
        }
        if (port < 1 || port > 65535) {
            return CompletableFuture.completedFuture(ProbeResult.fatal("tcp probe port must be in 1..65535, but was "
                    + port));
        }
        InetSocketAddress address = new InetSocketAddress(host, port); // a literal address: no lookup
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(ProbeResult.failure("tcp " + target + ": cannot resolve " + host));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ProbeResult.failure("tcp " + target + ": " + e));
        }
        try {
            channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void a) {
                result.complete(ProbeResult.success("tcp " + target + " accepted a connection"));
            }

            @Override
            public void failed(Throwable e, Void a) {
                result.complete(ProbeResult.failure("tcp " + target + ": " + e.getMessage()));
            }
            });
        } catch (RuntimeException e) {
            result.complete(ProbeResult.failure("tcp " + target + ": " + e));
        }
        return result.completeOnTimeout(ProbeResult.failure("tcp " + target + ": no connection within "
                + Human.duration(context.timeout())), context.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((r, e) -> {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // closing a probe socket: nothing to do
                    }
                });
    }

    @Override
    public String describe() {
        return "tcp " + host + ":" + portTemplate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpProbe && host.equals(((TcpProbe) o).host)
                && portTemplate.equals(((TcpProbe) o).portTemplate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, portTemplate);
    }

    /** As {@link #describe()}: the host and port are all there is. */
    @Override
    public String toString() {
        return describe();
    }
}
