package io.tspm.loadbalancer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test server on an ephemeral loopback port: each accepted socket runs the handler on its own thread. */
final class Upstream implements AutoCloseable {

    interface Handler {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Upstream(Handler handler) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            handler.serve(s);
                        } catch (IOException e) {
                            // the test's peer went away
                        }
                    }, "upstream-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Echoes every byte until the client ends, then ends too. */
    static Upstream echo() {
        return new Upstream(s -> s.getInputStream().transferTo(s.getOutputStream()));
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
