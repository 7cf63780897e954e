package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Passes when a TCP connection opens. Asynchronous: no thread waits on the connect. */
public final class TcpProbe implements Probe {

    private final String host;
    private final String portTemplate;

    TcpProbe(String host, String portTemplate) {
        this.host = Objects.requireNonNull(host, "host");
        this.portTemplate = Objects.requireNonNull(portTemplate, "port");
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        String target = host + ":" + context.expand(portTemplate);
        int port;
        try {
            port = Integer.parseInt(context.expand(portTemplate));
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(ProbeResult.fatal("tcp probe port '" + portTemplate
                    + "' is not a number"));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ProbeResult.failure("tcp " + target + ": " + e));
        }
        channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void a) {
                result.complete(ProbeResult.success("tcp " + target + " accepted a connection"));
            }

            @Override
            public void failed(Throwable e, Void a) {
                result.complete(ProbeResult.failure("tcp " + target + ": " + e.getMessage()));
            }
        });
        return result.completeOnTimeout(ProbeResult.failure("tcp " + target + ": no connection within "
                + context.timeout()), context.timeout().toNanos(), TimeUnit.NANOSECONDS)
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
}
