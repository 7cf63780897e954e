package io.tspm.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny HTTP app to supervise: listens on 127.0.0.1:$PORT and answers every request with its
 * instance id. Stops on SIGTERM like any well-behaved server (the JVM runs its shutdown hooks).
 */
public final class DemoHttpApp {

    private DemoHttpApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        String instance = System.getenv().getOrDefault("TSPM_INSTANCE_ID", "?");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", exchange -> {
            byte[] body = ("hello from instance " + instance + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("instance " + instance + " listening on http://127.0.0.1:" + port + "/");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }
}
