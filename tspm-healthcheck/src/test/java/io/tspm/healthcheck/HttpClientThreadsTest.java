package io.tspm.healthcheck;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tspm.ProbeSettings;
import io.tspm.Supervisor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The threads of the HTTP probes' clients end with the supervisor that used them. */
class HttpClientThreadsTest {

    /** The probes' own pool, and the JDK client's selector thread (one per client), not among {@code before}. */
    private static List<String> httpClientThreadsSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(n -> n.startsWith("tspm-http-probe") || n.matches("HttpClient-\\d+-SelectorManager"))
                .sorted().collect(Collectors.toList());
    }

    @Test
    void twentyClosedSupervisorsThatProbedOverHttpLeaveNoHttpClientThread() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet()); // other tests' threads are theirs
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
            for (int i = 0; i < 20; i++) {
                try (Supervisor s = Supervisor.builder().name("http-" + i)
                        .addProcess("web", p -> p.command("sleep", "60")
                                .readinessProbe(ProbeSettings.builder(Probes.http(url)).period(Duration.ofMillis(50)).build()))
                        .build()) {
                    s.start(); // ready: the probe's client answered at least once
                }
            }
        } finally {
            server.stop(0);
        }
        assertThat(requests.get()).isGreaterThanOrEqualTo(20);
        // JDK 21+ shuts a client down; on 17 its selector thread ends once the closed client is collected.
        boolean needsCollection = Runtime.version().feature() < 21;
        await().untilAsserted(() -> {
            if (needsCollection) {
                System.gc();
            }
            assertThat(httpClientThreadsSince(before)).isEmpty();
        });
    }
}
