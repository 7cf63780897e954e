package io.tspm.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small HTTP child: answers "instance <id> pid <pid>" on 127.0.0.1:$PORT and prints "listening"
 * once it can serve. With the file named by $BROKEN present at start it never listens. On SIGTERM
 * it finishes what it serves (up to 1 s), as a well-behaved server does.
 */
public final class HttpMain {

    public static void main(String[] args) throws Exception {
        String broken = System.getenv("BROKEN");
        if (broken != null && Files.exists(Path.of(broken))) {
            System.out.println("broken: not listening");
            while (true) {
                java.util.concurrent.locks.LockSupport.park();
            }
        }
        int port = Integer.parseInt(System.getenv("PORT"));
        String body = "instance " + System.getenv("TSPM_INSTANCE_ID") + " pid " + ProcessHandle.current().pid();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        server.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        System.out.println("listening on " + port);
    }
}
