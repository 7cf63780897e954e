package io.tspm.config.internal;

import io.tspm.Human;
import io.tspm.config.Webhook;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Binds the {@code webhooks:} list: {@code {url, events, secret, timeout, retries, queueSize}} each. */
final class WebhookBinder {

    static final List<String> KEYS = List.of("url", "events", "secret", "timeout", "retries", "queueSize");

    private WebhookBinder() {
    }

    /** The schema of one webhook. */
    static Map<String, Object> schema() {
        return Shapes.of("type", "object", "required", List.of("url"), "additionalProperties", false,
                "properties", Shapes.of(
                        "url", Shapes.string(),
                        "events", Shapes.strings(),
                        "secret", Shapes.string(),
                        "timeout", Shapes.duration(),
                        "retries", Shapes.integer(0, 20),
                        "queueSize", Shapes.integer(1, 100_000)));
    }

    static List<Webhook> bind(Node node, Values values) {
        List<Webhook> out = new ArrayList<>();
        if (!(node instanceof Node.ListNode)) {
            values.wrong(node, "webhooks", "a list of webhooks, each a mapping with a url");
            return out;
        }
        List<Node> items = ((Node.ListNode) node).items();
        for (int i = 0; i < items.size(); i++) {
            String path = "webhooks[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof Node.MapNode)) {
                values.wrong(item, path, "a webhook: a mapping with a url");
                continue;
            }
            Webhook w = one((Node.MapNode) item, path, values);
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    private static Webhook one(Node.MapNode map, String path, Values values) {
        int before = values.problems().errorCount();
        for (Node.Entry e : map.entries().values()) {
            if (!KEYS.contains(e.key())) {
                values.problems().error(e.keyMark(), path + "." + e.key(), "unknown key of a webhook"
                        + Human.didYouMean(e.key(), KEYS));
            }
        }
        Node urlNode = map.get("url");
        if (urlNode == null) {
            values.problems().error(map.mark(), path + ".url", "missing: every webhook needs a url");
            return null;
        }
        Optional<String> url = values.string(urlNode, path + ".url", "an http or https URL");
        Webhook w = null;
        if (url.isPresent()) {
            try {
                w = Webhook.to(new URI(url.get().trim()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                values.problems().error(urlNode.mark(), path + ".url", "expected an http or https URL with a host,"
                        + " but was '" + url.get() + "'");
                return null;
            }
        }
        if (w == null) {
            return null;
        }
        Node events = map.get("events");
        if (events != null) {
            List<String> globs = values.strings(events, path + ".events");
            if (globs != null) {
                for (String g : globs) {
                    if (!g.matches("[a-z*][a-z0-9*-]*")) {
                        values.problems().error(events.mark(), path + ".events", "expected kebab-case event types"
                                + " or globs (process-exited, process-*, *), but was '" + g + "'");
                        return null;
                    }
                }
                w = w.withEvents(globs.toArray(new String[0]));
            }
        }
        Node secret = map.get("secret");
        if (secret != null) {
            Optional<String> s = values.string(secret, path + ".secret", "the signing secret");
            if (s.isPresent()) {
                w = w.withSecret(s.get());
            }
        }
        Node timeout = map.get("timeout");
        if (timeout != null) {
            Optional<Duration> t = values.duration(timeout, path + ".timeout");
            if (t.isPresent() && (t.get().isZero() || t.get().isNegative())) {
                values.wrong(timeout, path + ".timeout", "a positive duration");
            } else if (t.isPresent()) {
                w = w.withTimeout(t.get());
            }
        }
        Node retries = map.get("retries");
        if (retries != null) {
            OptionalInt r = values.integer(retries, path + ".retries", 0, 20);
            if (r.isPresent()) {
                w = w.withRetries(r.getAsInt());
            }
        }
        Node queue = map.get("queueSize");
        if (queue != null) {
            OptionalInt q = values.integer(queue, path + ".queueSize", 1, 100_000);
            if (q.isPresent()) {
                w = w.withQueueSize(q.getAsInt());
            }
        }
        return values.problems().errorCount() == before ? w : null;
    }
}
