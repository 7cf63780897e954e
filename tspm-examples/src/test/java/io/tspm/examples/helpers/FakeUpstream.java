package io.tspm.examples.helpers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A fake upstream, as a test would write one: {@code GET /health} says {@code UP}, {@code GET
 * /greeting?name=x} answers {@code {"greeting":"hello x"}}, on 127.0.0.1:$PORT. Prints what it
 * serves, so a failing test shows it.
 */
public final class FakeUpstream {

    private FakeUpstream() {
    }

    /** Serves until stopped. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/health", ex -> reply(ex, 200, "UP"));
        server.createContext("/greeting", ex -> {
            String query = ex.getRequestURI().getQuery();
            String name = query != null && query.startsWith("name=") ? query.substring(5) : "stranger";
            System.out.println("greeting " + name);
            reply(ex, 200, "{\"greeting\":\"hello " + name + "\"}");
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        System.out.println("fake upstream listening on " + port);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
