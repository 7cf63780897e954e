package io.tspm.loadbalancer;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessGroup;
import io.tspm.Supervisor;
import io.tspm.spi.Endpoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Draining with the proxy declared on the spec, and least-connections against a slow instance. */
class DrainAndBalanceTest {

    /** A keep-alive request on {@code s}; the body ("instance <id> pid <pid>"). */
    private static String ask(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("closed after '" + head + "'");
            }
            head.append((char) c);
        }
        String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void onAReload_anInstanceWithAnOpenConnectionStopsWhenTheDrainEnds_oneWithoutStopsAtOnce() throws Exception {
        int proxyPort = TcpProxySocketTest.freePort();
        Duration drain = Duration.ofSeconds(3);
        try (Supervisor s = Supervisor.builder().build()) {
            s.start();
            // Added, not built in: the supervisor opens a spec's proxy when the process is added.
            ProcessGroup web = s.add(ClusterProxyTest.spec(26150, 2, p -> p.proxyPort(proxyPort).reloadDrain(drain)));
            web.start();
            Map<Integer, Integer> firstPorts = new ConcurrentHashMap<>();
            web.endpoints().endpoints().forEach(e -> firstPorts.put(e.instanceId(), e.port()));
            Map<Integer, Long> swappedAt = new ConcurrentHashMap<>();
            web.addEndpointsListener(v -> {
                for (Endpoint e : v.endpoints()) {
                    if (e.port() != firstPorts.get(e.instanceId())) {
                        swappedAt.putIfAbsent(e.instanceId(), System.nanoTime());
                    }
                }
            });
            Map<Integer, Long> oldPids = new ConcurrentHashMap<>();
            for (int id = 0; id < 2; id++) {
                oldPids.put(id, web.instance(id).pid().getAsLong());
            }
            // When each old process was told to stop (its exit is later: the server's own stop takes 2 s).
            Map<Long, Long> stoppingAt = new ConcurrentHashMap<>();
            web.addLineListener(line -> {
                if (line.text().startsWith("stopping")) {
                    stoppingAt.putIfAbsent(line.pid(), System.nanoTime());
                }
            });
            try (Socket held = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
                held.setSoTimeout(10_000);
                String body = ask(held);
                int heldId = Integer.parseInt(body.split(" ")[1]);
                assertThat(body).endsWith("pid " + oldPids.get(heldId));
                int otherId = 1 - heldId;
                web.reload(Duration.ofSeconds(30));
                await().until(() -> stoppingAt.keySet().containsAll(oldPids.values()));
                long heldStopped = stoppingAt.get(oldPids.get(heldId)) - swappedAt.get(heldId);
                long otherStopped = stoppingAt.get(oldPids.get(otherId)) - swappedAt.get(otherId);
                assertThat(Duration.ofNanos(heldStopped)).as("held connection: stops when the drain ends")
                        .isGreaterThanOrEqualTo(drain.minusMillis(300));
                assertThat(Duration.ofNanos(otherStopped)).as("no connection: stops at once")
                        .isLessThan(Duration.ofMillis(1500));
            }
            // Through the proxy the new instances answer.
            assertThat(HttpClients.getFresh(proxyPort)).startsWith("instance ");
            s.remove("web");
            await().untilAsserted(() -> assertThat(HttpClients.class).satisfies(c -> {
                try (Socket gone = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
                    throw new AssertionError("the proxy still listens");
                } catch (java.net.ConnectException expected) {
                    // closed with the process
                }
            }));
        }
    }

    @Test
    void leastConnections_sendsASlowInstanceFewerConnections() throws Exception {
        try (Supervisor s = ClusterProxyTest.cluster(26170, 3, p -> p.env("SLOW_INSTANCE", "2").env("SLOW_MS", "300")
                .loadBalancer(Strategies.leastConnections()))) {
            s.start();
            ProcessGroup web = s.group("web");
            try (TcpProxy proxy = TcpProxy.builder().group(web).open()) {
                AtomicIntegerArray served = new AtomicIntegerArray(3);
                AtomicInteger remaining = new AtomicInteger(240);
                List<Thread> clients = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int c = 0; c < 6; c++) {
                    Thread t = new Thread(() -> {
                        while (remaining.getAndDecrement() > 0) {
                            try {
                                served.incrementAndGet(Integer.parseInt(HttpClients.getFresh(proxy.port()).split(" ")[1]));
                            } catch (Exception e) {
                                failures.add(e);
                            }
                        }
                    });
                    t.start();
                    clients.add(t);
                }
                for (Thread t : clients) {
                    t.join();
                }
                assertThat(failures).isEmpty();
                System.out.println("least-connections with instance 2 slow (300 ms): served " + served);
                assertThat(served.get(2)).isLessThan(served.get(0) / 2).isLessThan(served.get(1) / 2);
            }
        }
    }
}
