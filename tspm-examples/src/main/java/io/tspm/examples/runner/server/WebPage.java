package io.tspm.examples.runner.server;

import com.sun.net.httpserver.Headers;
import io.tspm.SupervisorSnapshot;
import io.tspm.config.SnapshotJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The web page on the control port (supervisord's web interface, smaller): the table of instances
 * with start, stop and restart buttons and the last log lines, kept live by a stream of events and
 * lines. Plain HTML and one script from the jar's resources; the script writes every name and line
 * as text nodes, never as markup.
 *
 * <p>A browser logs in once through {@code /login?code=...} with a one-time code {@code tspm open}
 * got with the token, and then holds an HttpOnly, SameSite=Strict session cookie. Every request
 * here needs that cookie and a Host naming this runner (a DNS-rebinding page names its own); an
 * action is a POST whose Origin must be this page's (a GET, or a POST from another site, is refused).
 */
final class WebPage {

    /** The routes this class serves; every other path is the bearer-token API's. */
    static boolean serves(String path) {
        return path.equals("/") || path.equals("/login") || path.startsWith("/ui/");
    }

    private static final String RESOURCES = "/io/tspm/examples/runner/web/";
    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String LOGIN_NEEDED = "<!doctype html><meta charset=utf-8><title>tspm</title>"
            + "<p>Not logged in, or the login link was used or has expired.</p>"
            + "<p>Run <code>tspm open</code> next to the config: it prints a new one-time login link"
            + " (<code>tspm open --browser</code> opens it).</p>\n";

    private final ControlServer server;
    private final Runner runner;
    private final WebSessions sessions;
    private final String cookieName;
    private final Set<String> hosts;

    /**
     * The page of {@code server}, listening on {@code port}; {@code hosts} are the names a browser
     * may reach it by, with the port ({@code 127.0.0.1:8080}, {@code localhost:8080}, ...).
     */
    WebPage(ControlServer server, Runner runner, WebSessions sessions, int port, Set<String> hosts) {
        this.server = server;
        this.runner = runner;
        this.sessions = sessions;
        // Browsers keep cookies per host, not per port: two runners on one machine need two names.
        this.cookieName = "tspm_session_" + port;
        this.hosts = Set.copyOf(hosts);
    }

    /** A new one-time login code, for {@code tspm open}. */
    String newLoginCode() {
        return sessions.newCode();
    }

    void handle(ApiExchange ex) throws IOException {
        Headers headers = ex.raw().getResponseHeaders();
        headers.set("Content-Security-Policy", SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        String host = ex.raw().getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw new ApiException(421, "this runner answers to " + String.join(", ", hosts.stream().sorted().toList())
                    + " only");
        }
        String path = ex.path();
        if (path.equals("/login")) {
            login(ex);
            return;
        }
        if (!sessions.valid(cookie(ex))) {
            if (path.equals("/")) {
                ex.send(401, "text/html; charset=utf-8", LOGIN_NEEDED);
            } else {
                ex.send(401, "text/plain; charset=utf-8", "");
            }
            return;
        }
        if (path.startsWith("/ui/actions/")) {
            if (!ex.method().equals("POST")) {
                throw new ApiException(405, "an action is a POST");
            }
            String origin = ex.raw().getRequestHeaders().getFirst("Origin");
            if (origin == null || !origin.equals("http://" + host.toLowerCase(Locale.ROOT))) {
                throw new ApiException(403, "an action must come from this runner's page (Origin http://" + host
                        + "), but came from " + (origin == null ? "no Origin" : origin));
            }
            action(ex, path.substring("/ui/actions/".length()));
            return;
        }
        if (!ex.method().equals("GET")) {
            throw new ApiException(405, ex.method() + " is not allowed on " + path);
        }
        switch (path) {
            case "/":
                ex.send(200, "text/html; charset=utf-8", resource("index.html"));
                return;
            case "/ui/app.js":
                ex.send(200, "text/javascript; charset=utf-8", resource("app.js"));
                return;
            case "/ui/style.css":
                ex.send(200, "text/css; charset=utf-8", resource("style.css"));
                return;
            case "/ui/processes":
                SupervisorSnapshot s = runner.supervisor().snapshot();
                ex.json(200, SnapshotJson.instances(s));
                return;
            case "/ui/logs":
                server.logs(ex);
                return;
            case "/ui/stream":
                server.pageStream(ex);
                return;
            default:
                throw new ApiException(404, "no such page: " + path);
        }
    }

    private void login(ApiExchange ex) throws IOException {
        if (!ex.method().equals("GET")) {
            throw new ApiException(405, ex.method() + " is not allowed on /login");
        }
        String session = sessions.redeem(ex.param("code").orElse(null)).orElse(null);
        if (session == null) {
            ex.send(401, "text/html; charset=utf-8", LOGIN_NEEDED);
            return;
        }
        Headers headers = ex.raw().getResponseHeaders();
        headers.set("Set-Cookie", cookieName + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
        // Off the login URL at once, so a reload or the history does not hold the used code.
        headers.set("Location", "/");
        ex.send(303, "text/plain; charset=utf-8", "");
    }

    private String cookie(ApiExchange ex) {
        List<String> all = ex.raw().getRequestHeaders().get("Cookie");
        if (all == null) {
            return null;
        }
        for (String header : all) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(cookieName)) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** {@code POST /ui/actions/{start|stop|restart}?process=web&instance=1}: answers at once, the stream tells the rest. */
    private void action(ApiExchange ex, String action) throws IOException {
        String name = ex.param("process").orElseThrow(() -> new ApiException(400, "an action needs process=NAME"));
        int id = ex.intParam("instance", -1, 0, 100_000);
        if (id < 0) {
            throw new ApiException(400, "an action needs instance=ID");
        }
        ex.json(202, JsonShapes.ok(Actions.onInstance(runner.supervisor(), name, id, action)));
    }

    private static String resource(String name) {
        try (InputStream in = WebPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
