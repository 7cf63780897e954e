package io.tspm.healthcheck;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A child for tests: waits the given millis, then accepts (and closes) connections on $PORT. */
public final class ListenMain {

    public static void main(String[] args) throws Exception {
        java.util.concurrent.locks.LockSupport.parkNanos(Long.parseLong(args[0]) * 1_000_000L); // not ready yet
        try (ServerSocket server = new ServerSocket(Integer.parseInt(System.getenv("PORT")), 50,
                InetAddress.getLoopbackAddress())) {
            System.out.println("listening");
            while (true) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().flush();
                }
            }
        }
    }
}
