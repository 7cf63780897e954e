package io.tspm.examples.runner.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tspm.ApplyPlan;
import io.tspm.ExitRecord;
import io.tspm.GroupSnapshot;
import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessStartException;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import io.tspm.SupervisorSnapshot;
import io.tspm.TspmException;
import io.tspm.config.ConfigException;
import io.tspm.config.ConfigWriter;
import io.tspm.config.EventJson;
import io.tspm.config.SnapshotJson;
import io.tspm.event.SupervisorListener;
import io.tspm.examples.runner.state.ApiToken;
import io.tspm.examples.runner.state.DumpException;
import io.tspm.examples.runner.ui.ProcessTable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's control API: HTTP/JSON on loopback (the JDK's server), every request with the
 * bearer token of {@code .tspm/token}. Requests run on a small pool of their own, never on the
 * supervisor's threads; bodies are bounded ({@link ApiExchange#MAX_BODY}); a client that stalls
 * while sending its request is cut off ({@code sun.net.httpserver.maxReqTime}, set by the
 * launcher); streams (log follow, events) are capped in number. The routes are listed in the README.
 * The web page ({@link WebPage}: {@code /}, {@code /login}, {@code /ui/...}) shares the port and
 * the pool, with a session cookie instead of the token.
 */
final class ControlServer implements AutoCloseable {

    /** How many log follows and event streams may be open at once. */
    static final int MAX_STREAMS = 16;

    private final Runner runner;
    private final ApiToken token;
    private final HttpServer http;
    private final ExecutorService pool;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    /** When each process's logs were last flushed: `logs` shows no line from before, as PM2's flush empties them. */
    private final Map<String, java.time.Instant> flushedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final WebPage page;
    private final String pageHost;
    private volatile boolean closed;

    private ControlServer(Runner runner, ApiToken token, HttpServer http, ExecutorService pool, InetAddress address,
            String host) {
        this.runner = runner;
        this.token = token;
        this.http = http;
        this.pool = pool;
        int port = http.getAddress().getPort();
        // The page's address: loopback unless the API listens on one address elsewhere.
        String name = address.isLoopbackAddress() || address.isAnyLocalAddress() ? "127.0.0.1"
                : address instanceof java.net.Inet6Address ? "[" + host + "]" : host;
        this.pageHost = name + ":" + port;
        Set<String> hosts = new java.util.HashSet<>(Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port));
        hosts.add(pageHost.toLowerCase(java.util.Locale.ROOT));
        this.page = new WebPage(this, runner, new WebSessions(System::nanoTime), port, hosts);
    }

    static ControlServer open(Runner runner, ApiToken token, String host, int port, boolean allowRemote)
            throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException("the control API listens on loopback only, but --listen was '"
                    + host + "': add --allow-remote to listen on " + host + " (the token is still required)");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 64);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_STREAMS + 4, MAX_STREAMS + 4, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(256), r -> {
                    Thread t = new Thread(null, r, "tspm-api-" + n.incrementAndGet(), 256 * 1024);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        ControlServer server = new ControlServer(runner, token, http, pool, address, host);
        http.setExecutor(pool);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        closed = true;
        // A second for the streams to see `closed` and end their replies: a `logs --follow` then
        // ends cleanly instead of on a cut connection.
        http.stop(1);
        pool.shutdownNow();
    }

    private void handle(HttpExchange raw) {
        ApiExchange ex = new ApiExchange(raw);
        try {
            if (WebPage.serves(ex.path())) { // the browser's routes: a session cookie instead of the token
                page.handle(ex);
                return;
            }
            if (!token.matches(raw.getRequestHeaders().getFirst("Authorization"))) {
                raw.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                ex.send(401, "text/plain", "");
                return;
            }
            route(ex);
        } catch (ApiException e) {
            reply(ex, e.status(), e.getMessage());
        } catch (io.tspm.NoSuchProcessException e) {
            reply(ex, 404, e.getMessage());
        } catch (ConfigException | DumpException | IllegalArgumentException e) {
            reply(ex, 400, e.getMessage());
        } catch (ProcessStartException | IllegalStateException e) {
            reply(ex, 409, e.getMessage());
        } catch (TspmException e) {
            reply(ex, 500, e.getMessage());
        } catch (IOException e) {
            // The client went away; nothing to tell it.
            raw.close();
        } catch (RuntimeException e) {
            reply(ex, 500, e.toString());
        }
    }

    private static void reply(ApiExchange ex, int status, String message) {
        try {
            ex.json(status, JsonShapes.error(message == null ? "error" : message));
        } catch (IOException | RuntimeException ignored) {
            ex.raw().close();
        }
    }

    private void route(ApiExchange ex) throws IOException {
        String path = ex.path();
        String method = ex.method();
        if (path.equals("/metrics")) { // where Prometheus looks (scrape it with the token as a bearer)
            require(method.equals("GET"), ex);
            ex.send(200, io.tspm.config.PrometheusText.CONTENT_TYPE,
                    io.tspm.config.PrometheusText.of(supervisor().snapshot(), runner::metricsFile));
            return;
        }
        List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
        if (parts.isEmpty() || !parts.get(0).equals("v1")) {
            throw new ApiException(404, "no such endpoint: " + path + " (the API lives under /v1/)");
        }
        parts.remove(0);
        String first = parts.isEmpty() ? "" : parts.get(0);
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (first) {
            case "health":
                require(get, ex);
                health(ex);
                return;
            case "processes":
                require(get, ex);
                if (parts.size() == 1) {
                    processes(ex);
                } else {
                    process(ex, parts.get(1));
                }
                return;
            case "snapshot":
                require(get, ex);
                SupervisorSnapshot s = supervisor().snapshot();
                ex.json(200, SnapshotJson.snapshot(s));
                return;
            case "groups":
                require(get, ex);
                groups(ex);
                return;
            case "logs":
                require(get, ex);
                logs(ex);
                return;
            case "events":
                require(get, ex);
                events(ex);
                return;
            case "actions":
                require(post, ex);
                if (parts.size() != 2) {
                    throw new ApiException(404, "POST /v1/actions/{action}?target=...");
                }
                action(ex, parts.get(1));
                return;
            case "apply":
                require(post, ex);
                apply(ex);
                return;
            case "save":
                require(post, ex);
                Path dump = runner.save();
                ex.json(200, JsonShapes.ok("saved " + supervisor().groups().size() + " processes to " + dump));
                return;
            case "resurrect":
                require(post, ex);
                List<String> warnings = new ArrayList<>();
                ApplyPlan plan = runner.resurrect(warnings);
                ex.json(200, JsonShapes.withStrings(SnapshotJson.plan(plan, true), "warnings", warnings));
                return;
            case "login":
                require(post, ex);
                String url = "http://" + pageHost + "/login?code=" + page.newLoginCode();
                ex.json(200, JsonShapes.json(g -> {
                    g.writeStartObject();
                    g.writeStringField("url", url);
                    g.writeNumberField("expiresInSeconds", WebSessions.CODE_LIFETIME.toSeconds());
                    g.writeEndObject();
                }));
                return;
            case "kill":
                require(post, ex);
                ex.json(200, JsonShapes.json(g -> {
                    g.writeStartObject();
                    g.writeBooleanField("ok", true);
                    g.writeNumberField("pid", ProcessHandle.current().pid());
                    g.writeEndObject();
                }));
                runner.requestStop();
                return;
            case "report":
                require(get, ex);
                ex.text(200, TextViews.report(runner));
                return;
            default:
                throw new ApiException(404, "no such endpoint: " + path);
        }
    }

    private static void require(boolean ok, ApiExchange ex) {
        if (!ok) {
            throw new ApiException(405, ex.method() + " is not allowed on " + ex.path());
        }
    }

    private Supervisor supervisor() {
        return runner.supervisor();
    }

    private void health(ApiExchange ex) throws IOException {
        ex.json(200, JsonShapes.json(g -> {
            g.writeStartObject();
            g.writeStringField("phase", runner.phase().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberField("pid", ProcessHandle.current().pid());
            g.writeStringField("failure", runner.failure());
            g.writeStringField("config", runner.configFile() == null ? null : runner.configFile().toString());
            g.writeStringField("state", runner.state().toString());
            g.writeStringField("openedAt", runner.openedAt().toString());
            g.writeEndObject();
        }));
    }

    private void processes(ApiExchange ex) throws IOException {
        SupervisorSnapshot s = supervisor().snapshot();
        if (ex.wantsText()) {
            ex.text(200, ProcessTable.render(s, ex.flag("color")));
        } else {
            ex.json(200, SnapshotJson.instances(s));
        }
    }

    private void process(ApiExchange ex, String name) throws IOException {
        ProcessGroup group = Targets.process(supervisor(), name);
        GroupSnapshot gs = supervisor().snapshot().group(group.name())
                .orElseThrow(() -> Targets.unknown(supervisor(), name));
        Map<Integer, List<ExitRecord>> exits = new HashMap<>();
        for (ProcessInstance i : group.instances()) {
            exits.put(i.id(), i.exitHistory());
        }
        String spec = specText(gs.spec());
        if (ex.wantsText()) {
            ex.text(200, TextViews.describe(gs, exits, spec, ex.flag("color")));
        } else {
            ex.json(200, SnapshotJson.process(gs, exits, spec));
        }
    }

    static String specText(ProcessSpec spec) {
        try {
            return ConfigWriter.toYaml(List.of(spec));
        } catch (RuntimeException e) {
            return spec.toString();
        }
    }

    private void groups(ApiExchange ex) throws IOException {
        Map<String, List<String>> ns = supervisor().namespaces();
        if (ex.wantsText()) {
            StringBuilder sb = new StringBuilder();
            ns.forEach((k, v) -> sb.append(k).append(": ").append(String.join(", ", v)).append('\n'));
            ex.text(200, sb.length() == 0 ? "no processes\n" : sb.toString());
            return;
        }
        ex.json(200, JsonShapes.json(g -> {
            g.writeStartObject();
            for (Map.Entry<String, List<String>> e : ns.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (String n : e.getValue()) {
                    g.writeString(n);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }));
    }

    private void action(ApiExchange ex, String action) throws IOException {
        Supervisor s = supervisor();
        String target = ex.param("target").orElse("all");
        String message;
        switch (action) {
            case "reloadLogs":
                s.reopenLogs();
                message = "reopened the log files";
                break;
            case "flush":
                java.time.Instant now = java.time.Instant.now();
                if (target.equals("all")) {
                    s.flushLogs();
                    s.groups().forEach(g -> flushedAt.put(g.name(), now));
                    message = "emptied the log files";
                } else {
                    List<ProcessGroup> flushed = Targets.resolve(s, target).groups();
                    flushed.forEach(g -> {
                        g.flushLogs();
                        flushedAt.put(g.name(), now);
                    });
                    message = "emptied the log files of " + flushed.stream().map(ProcessGroup::name)
                            .collect(java.util.stream.Collectors.joining(", "));
                }
                break;
            case "scale":
                ProcessGroup group = Targets.process(s, target);
                int n = ex.intParam("instances", -1, 0, 10_000);
                if (n < 0) {
                    throw new ApiException(400, "scale needs instances=N");
                }
                int before = group.instances().size();
                group.scale(n);
                message = "scaled " + group.name() + " from " + before + " to " + n + " instances";
                break;
            default:
                if (ex.param("instance").isPresent()) { // one instance, at once (monit's keys)
                    ex.json(202, JsonShapes.ok(Actions.onInstance(s, target, ex.intParam("instance", 0, 0, 100_000),
                            action)));
                    return;
                }
                Targets t = Targets.resolve(s, target);
                message = Actions.run(s, t, action);
                break;
        }
        ex.json(200, JsonShapes.ok(message));
    }

    private void apply(ApiExchange ex) throws IOException {
        ex.body(); // bounded, unused: the file is named by the query
        String file = ex.param("file").orElse(null);
        ApplyPlan plan = runner.apply(file == null ? null : Path.of(file), ex.flag("dryRun"));
        ex.json(200, SnapshotJson.plan(plan, !ex.flag("dryRun")));
    }

    void logs(ApiExchange ex) throws IOException {
        Supervisor s = supervisor();
        String name = ex.param("process").orElse(null);
        List<ProcessGroup> groups = name == null || name.equals("all") ? s.groups()
                : Targets.resolve(s, name).groups();
        Set<String> names = new java.util.HashSet<>();
        groups.forEach(g -> names.add(g.name()));
        int lines = ex.intParam("lines", 15, 0, 100_000);
        OutputStreamKind only = ex.param("stream").map(v -> {
            switch (v) {
                case "out":
                    return OutputStreamKind.STDOUT;
                case "err":
                    return OutputStreamKind.STDERR;
                default:
                    throw new ApiException(400, "stream must be out or err, but was '" + v + "'");
            }
        }).orElse(null);
        boolean json = "json".equals(ex.param("format").orElse("text"));
        List<OutputLine> recent = new ArrayList<>();
        for (ProcessGroup g : groups) {
            for (ProcessInstance i : g.instances()) {
                java.time.Instant flushed = flushedAt.getOrDefault(g.name(), java.time.Instant.MIN);
                for (OutputLine l : i.recentLines(lines)) {
                    if ((only == null || l.stream() == only) && l.time().isAfter(flushed)) {
                        recent.add(l);
                    }
                }
            }
        }
        recent.sort(Comparator.comparing(OutputLine::time));
        List<OutputLine> tail = recent.subList(Math.max(0, recent.size() - lines), recent.size());
        if (!ex.flag("follow")) {
            StringBuilder sb = new StringBuilder();
            tail.forEach(l -> sb.append(json ? SnapshotJson.line(l) : TextViews.line(l)).append('\n'));
            ex.send(200, json ? "application/x-ndjson" : "text/plain; charset=utf-8", sb.toString());
            return;
        }
        if (!streams.tryAcquire()) {
            throw new ApiException(503, "too many streams open (" + MAX_STREAMS + ")");
        }
        BlockingQueue<OutputLine> queue = new ArrayBlockingQueue<>(4096);
        try (LineTap tap = new LineTap(s, names::contains, l -> {
            if (only == null || l.stream() == only) {
                queue.offer(l); // a client that cannot keep up misses lines, the child never waits
            }
        }); OutputStream out = ex.stream(json ? "application/x-ndjson" : "text/plain; charset=utf-8")) {
            for (OutputLine l : tail) {
                out.write(((json ? SnapshotJson.line(l) : TextViews.line(l)) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            while (!closed && runner.phase() != Runner.Phase.STOPPED) {
                OutputLine l = queue.poll(500, TimeUnit.MILLISECONDS);
                if (l != null) {
                    out.write(((json ? SnapshotJson.line(l) : TextViews.line(l)) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    private void events(ApiExchange ex) throws IOException {
        eventStream(ex, false);
    }

    /** The web page's stream: every event as {@code event: change}, every line as {@code event: line}. */
    void pageStream(ApiExchange ex) throws IOException {
        eventStream(ex, true);
    }

    private void eventStream(ApiExchange ex, boolean withLines) throws IOException {
        if (!streams.tryAcquire()) {
            throw new ApiException(503, "too many streams open (" + MAX_STREAMS + ")");
        }
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(4096);
        // One shape for every event on the wire, the webhooks' (EventJson): the SSE name is its type.
        SupervisorListener listener = e -> queue.offer("event: " + (withLines ? "change" : EventJson.type(e))
                + "\ndata: " + EventJson.of(e) + "\n\n");
        LineTap tap = null;
        try {
            supervisor().addListener(listener);
            // A client that cannot keep up misses lines, the child never waits.
            tap = withLines ? new LineTap(supervisor(), n -> true,
                    l -> queue.offer("event: line\ndata: " + SnapshotJson.line(l) + "\n\n")) : null;
            streamEvents(ex, queue);
        } finally {
            if (tap != null) {
                tap.close();
            }
            supervisor().removeListener(listener);
            streams.release();
        }
    }

    private void streamEvents(ApiExchange ex, BlockingQueue<String> queue) throws IOException {
        try (OutputStream out = ex.stream("text/event-stream")) {
            out.write(": tspm events\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long lastWrite = System.nanoTime();
            while (!closed && runner.phase() != Runner.Phase.STOPPED) {
                String e = queue.poll(500, TimeUnit.MILLISECONDS);
                if (e != null) {
                    out.write(e.getBytes(StandardCharsets.UTF_8));
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > TimeUnit.SECONDS.toNanos(15)) {
                    // A comment now and then finds a client that went away.
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
