package io.tspm.examples.runner;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tspm.examples.runner.client.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium, driven through chromedriver's W3C WebDriver HTTP API with the JDK's
 * HTTP client (a handful of calls: no Selenium needed). {@link #close()} ends the session and
 * chromedriver, and waits until none of their processes is left (the zygotes and renderers are
 * descendants; the crash handlers re-parent to init and are found by the caller's environment mark).
 */
final class HeadlessChromium implements AutoCloseable {

    /** Why a test is skipped without it. */
    static final String MISSING = "the web page is tested in headless Chromium: install the Debian packages chromium"
            + " and chromium-driver";

    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final JsonFactory JSON = new JsonFactory();

    private final Process driver;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String session;

    private HeadlessChromium(Process driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Whether chromium and chromedriver are installed. */
    static boolean available() {
        return Files.isExecutable(DRIVER) && browserBinary() != null;
    }

    private static Path browserBinary() {
        // The program itself rather than Debian's wrapper script in /usr/bin.
        for (String p : List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Starts chromedriver and a browser with a fresh profile in {@code dir}; {@code env} is added to both. */
    static HeadlessChromium start(Path dir, Map<String, String> env) throws Exception {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(DRIVER.toString(), "--port=" + port,
                "--log-path=" + dir.resolve("chromedriver.log"))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("chromedriver.out").toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        HeadlessChromium c = new HeadlessChromium(pb.start(), "http://127.0.0.1:" + port);
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                Map<?, ?> status = (Map<?, ?>) c.call("GET", "/status", null);
                return Boolean.TRUE.equals(status.get("ready"));
            });
            // The machine's network is closed: without these Chromium waits on refused connections.
            List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile"));
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("binary", browserBinary().toString());
            options.put("args", args);
            Map<String, Object> always = new LinkedHashMap<>();
            always.put("browserName", "chrome");
            always.put("goog:chromeOptions", options);
            Map<?, ?> created = (Map<?, ?>) c.call("POST", "/session",
                    Map.of("capabilities", Map.of("alwaysMatch", always)));
            c.session = (String) created.get("sessionId");
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /** Goes to {@code url} and waits until it loaded. */
    void navigate(String url) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    /** Runs {@code script} (a function body) in the page; its {@code return} value as maps, lists and strings. */
    Object script(String script, Object... args) throws Exception {
        return call("POST", "/session/" + session + "/execute/sync", Map.of("script", script, "args", List.of(args)));
    }

    /** Clicks the element {@code css} selects, as a user does (the pointer, its events). */
    void click(String css) throws Exception {
        Map<?, ?> element = (Map<?, ?>) call("POST", "/session/" + session + "/element",
                Map.of("using", "css selector", "value", css));
        call("POST", "/session/" + session + "/element/" + element.get(ELEMENT) + "/click", Map.of());
    }

    /** The cookies of the current page, HttpOnly ones included. */
    List<Map<?, ?>> cookies() throws Exception {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : (List<?>) call("GET", "/session/" + session + "/cookie", null)) {
            out.add((Map<?, ?>) o);
        }
        return out;
    }

    private Object call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Object reply = Json.parse(r.body());
        Object value = reply instanceof Map<?, ?> m ? m.get("value") : null;
        if (r.statusCode() != 200) {
            throw new AssertionError("WebDriver " + method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return value;
    }

    private static String json(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Boolean bool) {
            g.writeBoolean(bool);
        } else if (v == null) {
            g.writeNull();
        } else {
            g.writeString(v.toString());
        }
    }

    /** Ends the session (the browser quits) and chromedriver; returns once none of their processes is alive. */
    @Override
    public void close() {
        // Taken first: a browser process whose parent ended is no longer a descendant of the driver.
        List<ProcessHandle> all = new ArrayList<>(driver.descendants().toList());
        all.add(driver.toHandle());
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (Exception | AssertionError e) {
            // Killed below all the same.
        }
        all.addAll(driver.descendants().toList());
        driver.destroy();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> all.stream().noneMatch(HeadlessChromium::running));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            all.forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().noneMatch(HeadlessChromium::running));
            throw new AssertionError("chromium or chromedriver outlived the session (killed now)", e);
        }
    }

    /** Alive and not a zombie (one whose parent ended waits for a reaper that may be slow). */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }
}
