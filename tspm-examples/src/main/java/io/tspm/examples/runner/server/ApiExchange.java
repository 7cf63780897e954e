package io.tspm.examples.runner.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request to the control API, with what its handlers need: the query, a body read up to a
 * limit, and replies as JSON or text. Every reply closes the exchange.
 */
final class ApiExchange {

    /** The largest request body taken; a larger one is a 413 before it is read. */
    static final int MAX_BODY = 1 << 20;

    private final HttpExchange exchange;
    private final Map<String, String> query;

    ApiExchange(HttpExchange exchange) {
        this.exchange = exchange;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    HttpExchange raw() {
        return exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name));
    }

    boolean flag(String name) {
        String v = query.get(name);
        return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
    }

    int intParam(String name, int defaultValue, int min, int max) {
        String v = query.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ApiException(400, name + " must be in " + min + ".." + max + ", but was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + " must be a whole number, but was '" + v + "'");
        }
    }

    /** Whether the client asked for the text a person reads rather than JSON. */
    boolean wantsText() {
        return "text".equals(query.get("view"));
    }

    /** The body, at most {@link #MAX_BODY} bytes: a longer one is refused without reading the rest. */
    String body() throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    throw new ApiException(413, "request body too large: " + length + " bytes, at most " + MAX_BODY);
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Content-Length must be a number, but was '" + length + "'");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = exchange.getRequestBody()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > MAX_BODY) {
                    throw new ApiException(413, "request body too large: more than " + MAX_BODY + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    void json(int status, String json) throws IOException {
        send(status, "application/json", json);
    }

    void text(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text);
    }

    void send(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** Starts a streamed reply (chunked); the caller writes and closes it. */
    OutputStream stream(String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }
}
