package io.tspm.examples.runner.client;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.RunnerException;
import io.tspm.examples.runner.state.StateDir;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The client side of the control API, kept thin so a command starts fast: a plain socket speaking
 * HTTP/1.1 to the runner named by a {@code .tspm/} directory (no HTTP client library, no JSON
 * parser on the common paths, nothing of the supervisor loaded).
 */
public final class ControlClient {

    private final StateDir state;
    private final String host;
    private final int port;
    private final String token;

    private ControlClient(StateDir state, String host, int port, String token) {
        this.state = state;
        this.host = host;
        this.port = port;
        this.token = token;
    }

    /**
     * The client of the runner found from {@code cwd} (or {@code $TSPM_HOME}); a
     * {@link RunnerException} with {@link ExitCodes#NO_RUNNER} saying where it looked when none runs.
     */
    public static ControlClient locate(Path cwd, Map<String, String> env) {
        List<Path> looked = new ArrayList<>();
        // No lambda here: a listing's cold start pays for the first one (the method-handle machinery).
        Optional<StateDir> dir = StateDir.locate(cwd, env, looked);
        if (dir.isEmpty()) {
            throw new RunnerException(ExitCodes.NO_RUNNER,
                    "no tspm runner is running: looked for " + StateDir.describe(looked) + ", found none"
                            + (env.containsKey("TSPM_HOME") ? "" : " (set TSPM_HOME or cd next to the config)")
                            + "; start one with `tspm start [file]` or `tspm run [file]`");
        }
        return of(dir.get());
    }

    /** The client of the runner of {@code dir}. */
    public static ControlClient of(StateDir dir) {
        try {
            int port = Integer.parseInt(Files.readString(dir.port(), StandardCharsets.US_ASCII).trim());
            String token = Files.readString(dir.token(), StandardCharsets.US_ASCII).trim();
            return new ControlClient(dir, "127.0.0.1", port, token);
        } catch (NoSuchFileException e) {
            throw new RunnerException(ExitCodes.NO_RUNNER, "no tspm runner is running in " + dir + ": "
                    + e.getFile() + " does not exist");
        } catch (IOException | NumberFormatException e) {
            throw new RunnerException(ExitCodes.NO_RUNNER, "cannot read the runner's port and token in " + dir
                    + ": " + e.getMessage());
        }
    }

    /** The state directory of the runner. */
    public StateDir state() {
        return state;
    }

    /** A reply: status and body. */
    public record Reply(int status, String contentType, String body) {
        /** Whether the status is 2xx. */
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** {@code GET path}. */
    public Reply get(String path) {
        return call("GET", path, null);
    }

    /** {@code POST path} with an empty body. */
    public Reply post(String path) {
        return call("POST", path, "");
    }

    /** Sends a request and reads the whole reply; an error reply throws a {@link RunnerException}. */
    public Reply call(String method, String path, String body) {
        try (Socket socket = connect(120_000)) {
            send(socket.getOutputStream(), method, path, body);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = readHead(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copyBody(in, head, out, false);
            Reply reply = new Reply(head.status, head.headers.getOrDefault("content-type", ""),
                    out.toString(StandardCharsets.UTF_8));
            if (!reply.ok()) {
                throw failure(reply);
            }
            return reply;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Sends a request and copies the streamed reply to {@code sink} as it comes, until the runner ends it. */
    public void stream(String path, OutputStream sink) {
        try (Socket socket = connect(0)) {
            send(socket.getOutputStream(), "GET", path, null);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = readHead(in);
            if (head.status / 100 != 2) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copyBody(in, head, out, false);
                throw failure(new Reply(head.status, head.headers.getOrDefault("content-type", ""),
                        out.toString(StandardCharsets.UTF_8)));
            }
            copyBody(in, head, sink, true);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** {@code s} for a query string. */
    public static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Socket connect(int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private void send(OutputStream out, String method, String path, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append(':').append(port).append("\r\n");
        sb.append("Authorization: Bearer ").append(token).append("\r\n");
        sb.append("Connection: close\r\n");
        if (body != null) {
            sb.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP reply: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return new Head(status, headers);
    }

    private static void copyBody(InputStream in, Head head, OutputStream out, boolean flushEach) throws IOException {
        if ("chunked".equalsIgnoreCase(head.headers.get("transfer-encoding"))) {
            while (true) {
                String sizeLine = readLine(in);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    return;
                }
                byte[] buf = in.readNBytes(size);
                if (buf.length < size) {
                    throw new EOFException("reply cut off");
                }
                out.write(buf);
                if (flushEach) {
                    out.flush();
                }
                readLine(in);
            }
        }
        String length = head.headers.get("content-length");
        if (length != null) {
            out.write(in.readNBytes(Integer.parseInt(length)));
        } else {
            in.transferTo(out);
        }
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("reply cut off");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private RunnerException failure(Reply reply) {
        if (reply.status == 401) {
            return new RunnerException(ExitCodes.UNAUTHORIZED, "the runner in " + state + " refused the token in "
                    + state.token() + " (a runner restarted since? its token file changes each start)");
        }
        String message = Json.stringField(reply.body, "error");
        int code = reply.status == 404 ? ExitCodes.NOT_FOUND : reply.status == 400 ? ExitCodes.USAGE
                : ExitCodes.FAILURE;
        return new RunnerException(code, message != null ? message : "the runner answered " + reply.status + ": "
                + reply.body);
    }

    private RunnerException unreachable(IOException e) {
        if (e instanceof ConnectException) {
            return new RunnerException(ExitCodes.NO_RUNNER, "no tspm runner is running in " + state + ": nothing"
                    + " listens on port " + port + " (" + state.port() + " is left from a runner that ended"
                    + state.livePid().map(p -> "; pid " + p + " is alive but not answering").orElse("") + ")");
        }
        return new RunnerException(ExitCodes.FAILURE, "the runner in " + state + " on port " + port
                + " did not answer: " + e);
    }
}
