package io.tspm.config;

import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import io.tspm.time.Scheduler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a supervisor's events to webhooks: each event as JSON ({@link EventJson}) with a
 * delivery id ({@code X-Tspm-Delivery}), its type ({@code X-Tspm-Event}) and, for a hook with a
 * secret, an HMAC-SHA256 signature of the body ({@code X-Tspm-Signature-256: sha256=<hex>}, as
 * GitHub's {@code X-Hub-Signature-256}). Each hook has its own bounded queue and its own thread,
 * so a slow or dead hook never slows the engine or the other hooks; past the queue's bound the
 * oldest waiting event is dropped and counted. A failed delivery (an error, a timeout, a status
 * outside 2xx) is tried again after 0.5 s, 1 s, 2 s ... (at most 30 s), on the scheduler, up to
 * the hook's retries. Events reach one hook in order. Secrets, and URL queries, never appear in
 * logs. Register it as a listener ({@code Supervisor.builder().addListener(sender)}) and close it
 * after the supervisor.
 */
public final class WebhookSender implements SupervisorListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final List<Hook> hooks = new ArrayList<>();
    private final HttpClient client;
    /** The client's own threads: on JDK 17 a client cannot be closed, but its executor can. */
    private final ExecutorService clientThreads;
    private final Scheduler scheduler;
    private final ScheduledExecutorService ownedScheduler;

    /** Sends to {@code hooks}, retrying on a scheduler thread of its own. */
    public WebhookSender(List<Webhook> hooks) {
        this(hooks, null);
    }

    /** Sends to {@code hooks}, timing retries on {@code scheduler} (a manual one in tests); null for its own. */
    public WebhookSender(List<Webhook> hooks, Scheduler scheduler) {
        Objects.requireNonNull(hooks, "hooks");
        if (scheduler == null) {
            this.ownedScheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tspm-webhook-retries"));
            this.scheduler = Scheduler.of(ownedScheduler);
        } else {
            this.ownedScheduler = null;
            this.scheduler = scheduler;
        }
        this.clientThreads = Executors.newFixedThreadPool(1, r -> daemon(r, "tspm-webhook-http"));
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).executor(clientThreads).build();
        for (int k = 0; k < hooks.size(); k++) {
            this.hooks.add(new Hook(Objects.requireNonNull(hooks.get(k), "hooks[" + k + "]"), k));
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void onEvent(SupervisorEvent event) {
        String type = EventJson.type(event);
        String json = null;
        for (Hook h : hooks) {
            if (h.webhook.wants(type)) {
                if (json == null) {
                    json = EventJson.of(event);
                }
                h.offer(new Delivery(UUID.randomUUID().toString(), type, json));
            }
        }
    }

    /** Events dropped for hook {@code index} because its queue was full. */
    public long dropped(int index) {
        return hooks.get(index).dropped();
    }

    /** Deliveries to hook {@code index} that failed after every retry. */
    public long failed(int index) {
        return hooks.get(index).failed();
    }

    /** Deliveries to hook {@code index} that succeeded. */
    public long delivered(int index) {
        return hooks.get(index).delivered();
    }

    /** Stops sending: what waits is dropped, a delivery under way is cut off, the threads end. */
    @Override
    public void close() {
        hooks.forEach(Hook::close);
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        clientThreads.shutdownNow();
    }

    /** The signature header's value for {@code body} signed with {@code secret}: {@code sha256=<hex>}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private record Delivery(String id, String type, String json) {
    }

    /** One hook: its queue, its thread, its counters. */
    private final class Hook {
        final Webhook webhook;
        final ExecutorService thread;
        private final ArrayDeque<Delivery> queue = new ArrayDeque<>(); // guarded by this
        private boolean busy; // a delivery is under way or waiting for its retry (guarded by this)
        private boolean closed; // guarded by this
        private long dropped;
        private long failed;
        private long delivered;

        Hook(Webhook webhook, int index) {
            this.webhook = webhook;
            this.thread = Executors.newSingleThreadExecutor(r -> daemon(r, "tspm-webhook-" + index));
        }

        void offer(Delivery d) {
            boolean start;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (queue.size() >= webhook.queueSize()) {
                    queue.pollFirst();
                    if (dropped++ == 0 || dropped % 1000 == 0) {
                        LOG.warn("webhook {}: its queue is full ({} events); dropped the oldest ({} so far)",
                                webhook.redactedUrl(), webhook.queueSize(), dropped);
                    }
                }
                queue.addLast(d);
                start = !busy;
                busy = true;
            }
            if (start) {
                thread.execute(this::next);
            }
        }

        /** On the hook's thread: the next waiting delivery, or idle. */
        private void next() {
            Delivery d;
            synchronized (this) {
                d = closed ? null : queue.pollFirst();
                if (d == null) {
                    busy = false;
                    return;
                }
            }
            attempt(d, 0);
        }

        private void attempt(Delivery d, int retry) {
            String problem = send(d);
            if (problem == null) {
                synchronized (this) {
                    delivered++;
                }
                next();
                return;
            }
            if (retry < webhook.retries()) {
                long factor = 1L << Math.min(retry, 10);
                Duration delay = FIRST_RETRY.multipliedBy(factor);
                Duration wait = delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
                LOG.debug("webhook {}: delivery {} failed ({}); again in {}", webhook.redactedUrl(), d.id(), problem,
                        wait);
                scheduler.schedule(() -> {
                    if (!thread.isShutdown()) {
                        thread.execute(() -> attempt(d, retry + 1));
                    }
                }, wait);
                return;
            }
            synchronized (this) {
                failed++;
            }
            LOG.warn("webhook {}: {} event {} not delivered after {} attempts: {}", webhook.redactedUrl(), d.type(),
                    d.id(), retry + 1, problem);
            next();
        }

        /** One POST; null when it was taken (2xx), else what went wrong. */
        private String send(Delivery d) {
            byte[] body = d.json().getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder req = HttpRequest.newBuilder(webhook.url()).timeout(webhook.timeout())
                    .header("Content-Type", "application/json").header("User-Agent", "tspm-webhook")
                    .header("X-Tspm-Event", d.type()).header("X-Tspm-Delivery", d.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (webhook.secret() != null) {
                req.header("X-Tspm-Signature-256", signature(webhook.secret(), body));
            }
            try {
                HttpResponse<Void> r = client.send(req.build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() / 100 == 2 ? null : "status " + r.statusCode();
            } catch (IOException e) {
                return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        synchronized long dropped() {
            return dropped;
        }

        synchronized long failed() {
            return failed;
        }

        synchronized long delivered() {
            return delivered;
        }

        void close() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
