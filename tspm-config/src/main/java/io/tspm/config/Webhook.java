package io.tspm.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where to POST a supervisor's events: the URL, which event types (globs over the kebab-case
 * names: {@code process-exited}, {@code process-*}, {@code *}), the secret that signs each body
 * (HMAC-SHA256, as GitHub's {@code X-Hub-Signature-256}; null for none), the timeout of one
 * attempt, how many times a failed delivery is tried again, and how many events may wait.
 *
 * @param url       an http or https URL
 * @param events    event-type globs; empty for every event
 * @param secret    the signing secret, or null
 * @param timeout   one attempt's timeout (default 5 s)
 * @param retries   attempts after the first, 0..20 (default 3)
 * @param queueSize events that may wait, 1..100000 (default 1000); past it the oldest is dropped
 */
public record Webhook(URI url, List<String> events, String secret, Duration timeout, int retries, int queueSize) {

    /** Checks each; the secret is never shown by {@link #toString()}. */
    public Webhook {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("webhook url must be an http or https URL with a host, but was '"
                    + redacted(url) + "'");
        }
        events = List.copyOf(events);
        for (String e : events) {
            if (!e.matches("[a-z*][a-z0-9*-]*")) {
                throw new IllegalArgumentException("webhook event must be a kebab-case event type or a glob"
                        + " (process-exited, process-*, *), but was '" + e + "'");
            }
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("webhook timeout must be positive, but was " + timeout);
        }
        if (retries < 0 || retries > 20) {
            throw new IllegalArgumentException("webhook retries must be in 0..20, but was " + retries);
        }
        if (queueSize < 1 || queueSize > 100_000) {
            throw new IllegalArgumentException("webhook queueSize must be in 1..100000, but was " + queueSize);
        }
    }

    /** Every event to {@code url}, unsigned, with the defaults. */
    public static Webhook to(String url) {
        return new Webhook(URI.create(url), List.of(), null, Duration.ofSeconds(5), 3, 1000);
    }

    /** Only these event types (globs). */
    public Webhook withEvents(String... globs) {
        return new Webhook(url, List.of(globs), secret, timeout, retries, queueSize);
    }

    /** Signed with {@code secret}. */
    public Webhook withSecret(String secret) {
        return new Webhook(url, events, Objects.requireNonNull(secret, "secret"), timeout, retries, queueSize);
    }

    /** With this timeout per attempt. */
    public Webhook withTimeout(Duration timeout) {
        return new Webhook(url, events, secret, timeout, retries, queueSize);
    }

    /** With this many attempts after the first. */
    public Webhook withRetries(int retries) {
        return new Webhook(url, events, secret, timeout, retries, queueSize);
    }

    /** With room for this many waiting events. */
    public Webhook withQueueSize(int queueSize) {
        return new Webhook(url, events, secret, timeout, retries, queueSize);
    }

    /** Whether events of {@code type} (kebab-case) go to this hook. */
    public boolean wants(String type) {
        if (events.isEmpty()) {
            return true;
        }
        for (String glob : events) {
            if (Pattern.matches(glob.replace("-", "\\-").replace("*", ".*"), type)) {
                return true;
            }
        }
        return false;
    }

    /** The URL without its query or user info, which may hold a token: what logs may show. */
    public String redactedUrl() {
        return redacted(url);
    }

    private static String redacted(URI url) {
        return (url.getScheme() == null ? "" : url.getScheme() + "://") + (url.getHost() == null ? "" : url.getHost())
                + (url.getPort() < 0 ? "" : ":" + url.getPort()) + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?...");
    }

    @Override
    public String toString() {
        return "Webhook{" + redactedUrl() + (events.isEmpty() ? "" : ", events=" + events)
                + (secret == null ? "" : ", signed") + ", timeout=" + io.tspm.Human.duration(timeout) + ", retries="
                + retries + ", queueSize=" + queueSize + "}";
    }
}
