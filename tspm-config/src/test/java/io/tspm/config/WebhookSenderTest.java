package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Webhooks against real local HTTP servers: signed, retried, and a dead hook slows nobody. */
class WebhookSenderTest {

    /** What the receiving server saw: each body with its headers, and whether its signature held. */
    record Received(String type, String delivery, String body, boolean signed) {
    }

    @Test
    void eventsArriveSignedAreRetriedAndADeadHookSlowsNoOne() throws Exception {
        List<Received> got = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int n = attempts.incrementAndGet();
            String sig = ex.getRequestHeaders().getFirst("X-Tspm-Signature-256");
            boolean signed = WebhookSender.signature("s3cret", body).equals(sig);
            int status = n <= 2 ? 503 : 204; // the first two attempts fail
            if (status == 204) {
                got.add(new Received(ex.getRequestHeaders().getFirst("X-Tspm-Event"),
                        ex.getRequestHeaders().getFirst("X-Tspm-Delivery"), new String(body, StandardCharsets.UTF_8),
                        signed));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        // A hook that accepts connections and never answers.
        ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(blackHole.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        int port = server.getAddress().getPort();
        Webhook good = Webhook.to("http://127.0.0.1:" + port + "/hook?token=abc").withSecret("s3cret")
                .withEvents("process-ready", "process-st*");
        Webhook dead = Webhook.to("http://127.0.0.1:" + blackHole.getLocalPort() + "/").withRetries(0)
                .withTimeout(Duration.ofSeconds(30)).withQueueSize(2);
        try (WebhookSender sender = new WebhookSender(List.of(good, dead));
                Supervisor s = Supervisor.builder().addListener(sender)
                        .addProcess(ProcessSpec.builder("web").command("sleep", "60").instances(3)
                                .readyAfter(Duration.ZERO).build())
                        .build()) {
            s.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> got.stream().filter(r -> r.type().equals("process-ready"))
                    .count() == 3);
            assertThat(attempts.get()).as("two failed attempts, then one per event").isEqualTo(2 + got.size());
            assertThat(got).allSatisfy(r -> {
                assertThat(r.signed()).isTrue();
                assertThat(r.body()).startsWith("{\"type\":\"" + r.type() + "\",\"time\":\"")
                        .contains("\"process\":\"web\"");
            });
            assertThat(got).extracting(Received::delivery).doesNotHaveDuplicates();
            assertThat(got).extracting(Received::type).containsOnly("process-starting", "process-ready")
                    .doesNotContain("process-spawned");
            assertThat(sender.delivered(0)).isEqualTo(got.size());
            assertThat(sender.dropped(1)).as("the dead hook's queue held 2; the rest was dropped").isPositive();
            assertThat(sender.failed(0)).isZero();
        } finally {
            server.stop(0);
            blackHole.close();
            for (Socket h : held) {
                h.close();
            }
        }
    }

    @Test
    void aBadHookIsRefusedNamingTheFieldAndTheSecretNeverShows() {
        assertThatThrownBy(() -> Webhook.to("ftp://example.com/x"))
                .hasMessage("webhook url must be an http or https URL with a host, but was 'ftp://example.com/x'");
        assertThatThrownBy(() -> Webhook.to("http://h/").withRetries(99))
                .hasMessage("webhook retries must be in 0..20, but was 99");
        assertThatThrownBy(() -> Webhook.to("http://h/").withEvents("Process Exited"))
                .hasMessageStartingWith("webhook event must be a kebab-case event type or a glob");
        Webhook w = Webhook.to("http://h:8080/hook?token=abc").withSecret("s3cret");
        assertThat(w.toString()).doesNotContain("s3cret").doesNotContain("abc").contains("http://h:8080/hook?...");
        assertThat(w.wants("process-exited")).isTrue();
        assertThat(w.withEvents("process-*").wants("instance-ejected")).isFalse();
    }

    @Test
    void aFilesWebhooksSectionIsBoundAndItsMistakesPointAtTheLine() {
        TspmConfig config = TspmConfig.loader().environment(java.util.Map.of("HOOK_SECRET", "from-env"))
                .parse(String.join("\n",
                        "processes: [{name: a, shell: x}]",
                        "webhooks:",
                        "  - url: https://hooks.example.com/tspm",
                        "    events: [process-exited, process-failed]",
                        "    secret: ${HOOK_SECRET}",
                        "    timeout: 2s",
                        "    retries: 5",
                        ""), ConfigFormat.YAML);
        assertThat(config.webhooks()).containsExactly(Webhook.to("https://hooks.example.com/tspm")
                .withEvents("process-exited", "process-failed").withSecret("from-env")
                .withTimeout(Duration.ofSeconds(2)).withRetries(5));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> TspmConfig.parse("webhooks: [{url: 'ftp://x/y', queuesize: 2}]", ConfigFormat.YAML));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "<string>:1:31: webhooks[0].queuesize: unknown key of a webhook; did you mean 'queueSize'?",
                "<string>:1:18: webhooks[0].url: expected an http or https URL with a host, but was 'ftp://x/y'");
    }
}
