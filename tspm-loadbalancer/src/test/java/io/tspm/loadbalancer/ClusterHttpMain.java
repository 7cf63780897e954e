package io.tspm.loadbalancer;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A cluster member for the proxy tests: answers {@code instance <id> pid <pid>} on 127.0.0.1:$PORT
 * and prints "listening" once it serves, and "stopping" when told to stop. The instance whose id is $SLOW_INSTANCE answers after
 * $SLOW_MS milliseconds. On SIGTERM it stops taking new exchanges and finishes those it has (up to
 * 2 s), as a well-behaved server does.
 */
public final class ClusterHttpMain {

    private ClusterHttpMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv("PORT"));
        String id = System.getenv("TSPM_INSTANCE_ID");
        long delayMillis = id.equals(System.getenv("SLOW_INSTANCE")) ? Long.parseLong(System.getenv("SLOW_MS")) : 0;
        byte[] body = ("instance " + id + " pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        ExecutorService workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", exchange -> {
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis); // the slow instance's work
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            server.stop(2); // on JDK 17 this waits the whole 2 s, busy or not
            workers.shutdownNow();
        }));
        System.out.println("listening on " + port);
    }
}
