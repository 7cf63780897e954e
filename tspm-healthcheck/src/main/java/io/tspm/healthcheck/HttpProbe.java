package io.tspm.healthcheck;

import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * An HTTP(S) request (GET, HEAD or POST) that passes on an expected status (default 200..399) and,
 * if asked, a body containing a text or matching a regex. Sent with the supervisor's shared
 * {@link HttpClient}, asynchronously. Redirects are not followed: a 3xx is itself the answer.
 * Immutable: each setter returns a new probe; two probes built the same way are equal.
 */
public final class HttpProbe implements BuiltInProbe {

    private final String urlTemplate;
    private final String method;
    private final String body;
    private final int minStatus;
    private final int maxStatus;
    private final String bodyContains;
    private final Pattern bodyMatches;
    private final Map<String, String> headers;
    private final boolean trustAll;

    HttpProbe(String urlTemplate) {
        this(Objects.requireNonNull(urlTemplate, "url"), "GET", null, 200, 399, null, null, Map.of(), false);
    }

    private HttpProbe(String urlTemplate, String method, String body, int minStatus, int maxStatus,
            String bodyContains, Pattern bodyMatches, Map<String, String> headers, boolean trustAll) {
        this.urlTemplate = urlTemplate;
        this.method = method;
        this.body = body;
        this.minStatus = minStatus;
        this.maxStatus = maxStatus;
        this.bodyContains = bodyContains;
        this.bodyMatches = bodyMatches;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers)); // in the order they were set
        this.trustAll = trustAll;
    }

    private HttpProbe with(String m, String b, int min, int max, String contains, Pattern matches,
            Map<String, String> h, boolean trust) {
        return new HttpProbe(urlTemplate, m, b, min, max, contains, matches, h, trust);
    }

    /** GET, HEAD or POST (default GET). */
    public HttpProbe method(String method) {
        String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        if (!m.equals("GET") && !m.equals("HEAD") && !m.equals("POST")) {
            throw new IllegalArgumentException("method must be GET, HEAD or POST, but was '" + method + "'");
        }
        return with(m, body, minStatus, maxStatus, bodyContains, bodyMatches, headers, trustAll);
    }

    /** POST with this body. */
    public HttpProbe post(String requestBody) {
        return with("POST", Objects.requireNonNull(requestBody, "body"), minStatus, maxStatus, bodyContains,
                bodyMatches, headers, trustAll);
    }

    /** Passes on a status in {@code min..max} (default 200..399). */
    public HttpProbe expectStatus(int min, int max) {
        if (min < 100 || max > 599 || min > max) {
            throw new IllegalArgumentException("expectStatus must be a range within 100..599, but was " + min + ".."
                    + max);
        }
        return with(method, body, min, max, bodyContains, bodyMatches, headers, trustAll);
    }

    /** Passes only when the body contains {@code text}. */
    public HttpProbe expectBody(String text) {
        return with(method, body, minStatus, maxStatus, Objects.requireNonNull(text, "text"), bodyMatches, headers,
                trustAll);
    }

    /** Passes only when the body matches {@code regex} ({@link java.util.regex.Matcher#find()}). */
    public HttpProbe expectBodyMatching(String regex) {
        return with(method, body, minStatus, maxStatus, bodyContains,
                Pattern.compile(Objects.requireNonNull(regex, "regex")), headers, trustAll);
    }

    /** Sends this request header; a second call with the same name replaces its value. */
    public HttpProbe header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
        return with(method, body, minStatus, maxStatus, bodyContains, bodyMatches, h, trustAll);
    }

    /** Accepts any TLS certificate and host name: for self-signed test servers only. */
    public HttpProbe trustAllCertificates() {
        return with(method, body, minStatus, maxStatus, bodyContains, bodyMatches, headers, true);
    }

    /** The URL as given, with {@code {port}}, {@code {id}} and {@code {name}} still in it (expanded at each check). */
    public String urlTemplate() {
        return urlTemplate;
    }

    /** {@code GET}, {@code HEAD} or {@code POST}. */
    public String method() {
        return method;
    }

    /** The request body {@link #post} set, if any. */
    public Optional<String> requestBody() {
        return Optional.ofNullable(body);
    }

    /** The lowest passing status (default 200). */
    public int minStatus() {
        return minStatus;
    }

    /** The highest passing status (default 399). */
    public int maxStatus() {
        return maxStatus;
    }

    /** The text the body must contain ({@link #expectBody}), if any. */
    public Optional<String> expectedBody() {
        return Optional.ofNullable(bodyContains);
    }

    /** The regex the body must match ({@link #expectBodyMatching}), if any. */
    public Optional<Pattern> expectedBodyPattern() {
        return Optional.ofNullable(bodyMatches);
    }

    /** The request headers, in the order they were first set. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Whether any TLS certificate and host name is accepted ({@link #trustAllCertificates()}). */
    public boolean trustsAllCertificates() {
        return trustAll;
    }

    /** {@code https} for a URL with that scheme, {@code http} otherwise. */
    @Override
    public String type() {
        return urlTemplate.regionMatches(true, 0, "https:", 0, 6) ? "https" : "http";
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        String url;
        try {
            url = context.expand(urlTemplate);
        } catch (IllegalStateException e) {
            return CompletableFuture.completedFuture(ProbeResult.fatal(e.getMessage()));
        }
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(context.timeout())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            request = b.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ProbeResult.fatal("http probe URL '" + url + "' is invalid: "
                    + e.getMessage()));
        }
        HttpClients clients = context.shared(HttpClients.class, HttpClients::new);
        HttpClient client = trustAll ? clients.trustingAll() : clients.verifying();
        if (client == null) {
            return CompletableFuture.completedFuture(ProbeResult.failure(method + " " + url
                    + " not sent: the supervisor closed"));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        return ProbeResult.failure(method + " " + url + ": " + cause);
                    }
                    return judge(url, response);
                });
    }

    private ProbeResult judge(String url, HttpResponse<String> response) {
        int status = response.statusCode();
        String seen = method + " " + url + " -> " + status;
        if (status < minStatus || status > maxStatus) {
            return ProbeResult.failure(seen + ", expected " + minStatus + ".." + maxStatus);
        }
        String text = response.body() == null ? "" : response.body();
        if (bodyContains != null && !text.contains(bodyContains)) {
            return ProbeResult.failure(seen + ", body does not contain '" + bodyContains + "': " + excerpt(text));
        }
        if (bodyMatches != null && !bodyMatches.matcher(text).find()) {
            return ProbeResult.failure(seen + ", body does not match /" + bodyMatches + "/: " + excerpt(text));
        }
        return ProbeResult.success(seen);
    }

    private static String excerpt(String text) {
        String t = text.replace('\n', ' ');
        return t.length() <= 200 ? "'" + t + "'" : "'" + t.substring(0, 200) + "...'";
    }

    @Override
    public String describe() {
        return "http " + method + " " + urlTemplate;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpProbe)) {
            return false;
        }
        HttpProbe p = (HttpProbe) o;
        return urlTemplate.equals(p.urlTemplate) && method.equals(p.method) && Objects.equals(body, p.body)
                && minStatus == p.minStatus && maxStatus == p.maxStatus && Objects.equals(bodyContains, p.bodyContains)
                && Regexes.equal(bodyMatches, p.bodyMatches) && headers.equals(p.headers) && trustAll == p.trustAll;
    }

    @Override
    public int hashCode() {
        return Objects.hash(urlTemplate, method, body, minStatus, maxStatus, bodyContains, Regexes.hash(bodyMatches),
                headers, trustAll);
    }

    /**
     * {@link #describe()} and the settings that differ from the defaults, named as their setters:
     * {@code http POST http://127.0.0.1:{port}/ {requestBody='ping', expectStatus=200..204,
     * headers={Authorization=***}}}. Values of headers whose name looks secret (authorization,
     * cookie, token, key, secret, password, credential) are masked.
     */
    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        if (body != null) {
            set.add("requestBody='" + body + "'");
        }
        if (minStatus != 200 || maxStatus != 399) {
            set.add("expectStatus=" + minStatus + ".." + maxStatus);
        }
        if (bodyContains != null) {
            set.add("expectBody='" + bodyContains + "'");
        }
        if (bodyMatches != null) {
            set.add("expectBodyMatching=" + Regexes.slashed(bodyMatches));
        }
        if (!headers.isEmpty()) {
            Map<String, String> shown = new LinkedHashMap<>();
            headers.forEach((name, value) -> shown.put(name, secret(name) ? "***" : value));
            set.add("headers=" + shown);
        }
        if (trustAll) {
            set.add("trustAllCertificates=true");
        }
        return set.isEmpty() ? describe() : describe() + " {" + String.join(", ", set) + "}";
    }

    private static boolean secret(String headerName) {
        String n = headerName.toLowerCase(Locale.ROOT);
        for (String word : new String[] {"auth", "cookie", "token", "key", "secret", "password", "credential"}) {
            if (n.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static Duration connectTimeout() {
        return Duration.ofSeconds(5);
    }
}
