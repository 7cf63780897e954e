package io.tspm.examples.bench.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * supervisord in the foreground ({@code -n}) with a generated config in the round's directory,
 * driven through its XML-RPC interface on its own unix socket (what supervisorctl speaks, without
 * a Python start per command). The sleepers are a program of numprocs N, autostart off, restarted
 * at once ({@code startsecs=0}); their output goes to supervisord's AUTO log files as by default.
 */
final class SupervisordContender implements Contender {

    private final String supervisord;
    private final boolean byGroupStart;

    /**
     * {@code byGroupStart}: start the sleepers with {@code startProcessGroup} on a group added
     * beforehand (supervisord spawns them one at a time, each after the last one's check), instead of
     * what {@code supervisorctl update} does: add the group, autostart on, and the main loop spawns them.
     */
    SupervisordContender(String path, boolean byGroupStart) {
        this.supervisord = path != null ? path : PeerBenchmark.which("supervisord");
        this.byGroupStart = byGroupStart;
    }

    @Override
    public String name() {
        return "supervisord";
    }

    @Override
    public String missing() {
        return supervisord == null ? "supervisord not found (apt-get install -y supervisor, or --supervisord PATH)" : null;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("what", "supervisord -n with a generated config, XML-RPC over its unix socket; program of numprocs N, "
                + "startsecs=0, autorestart=true");
        d.put("start", byGroupStart ? "startProcessGroup on a group added before the clock starts"
                : "as supervisorctl update: reloadConfig and addProcessGroup of a program with autostart=true");
        d.put("binary", supervisord);
        d.put("version", version());
        return d;
    }

    private String version() {
        try {
            Process p = new ProcessBuilder(supervisord, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? v : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The config: the writer, not started; the sleepers' programs come in through conf.d when asked for. */
    static String config(Path dir, Workloads w) {
        int most = w.counts().stream().mapToInt(Integer::intValue).max().orElse(100);
        StringBuilder c = new StringBuilder();
        c.append("[unix_http_server]\nfile=").append(dir.resolve("supervisor.sock")).append('\n');
        c.append("[supervisord]\nnodaemon=true\nlogfile=").append(dir.resolve("supervisord.log"))
                .append("\npidfile=").append(dir.resolve("supervisord.pid"))
                .append("\nchildlogdir=").append(dir.resolve("childlogs"))
                // Three pipes per child: 1,000 children need more than the default 1,024 fds.
                .append("\nminfds=").append(4 * most + 1024)
                .append("\nminprocs=").append(2 * most + 200).append('\n');
        c.append("[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n");
        c.append("[include]\nfiles=").append(dir.resolve("conf.d")).append("/*.conf\n");
        c.append("[program:").append(Workloads.WRITER).append("]\ncommand=").append(escape(String.join(" ", w.writer())))
                .append("\nautostart=false\nautorestart=false\nstartsecs=0\nstdout_logfile=")
                .append(escape(dir.resolve("supervisord-lines.log").toString()))
                .append("\nstdout_logfile_maxbytes=0\nstdout_logfile_backups=0\n");
        return c.toString();
    }

    /** The program of {@code n} sleepers, restarted at once, its output in supervisord's AUTO log files. */
    static String sleepers(int n, Workloads w, boolean autostart) {
        return "[program:" + Workloads.sleepGroup(n) + "]\ncommand=" + escape(String.join(" ", w.sleeper()))
                + "\nprocess_name=%(program_name)s_%(process_num)d\nnumprocs=" + n
                + "\nautostart=" + autostart + "\nautorestart=true\nstartsecs=0\nstartretries=1000000\n";
    }

    /** supervisord expands %(name)s in values: a literal % is written %%. */
    private static String escape(String value) {
        return value.replace("%", "%%");
    }

    @Override
    public Session open(Path dir, Workloads w) throws Exception {
        Files.createDirectories(dir.resolve("childlogs"));
        Files.createDirectories(dir.resolve("conf.d"));
        Path conf = dir.resolve("supervisord.conf");
        Files.writeString(conf, config(dir, w));
        Path sock = dir.resolve("supervisor.sock");
        Process p = new ProcessBuilder(supervisord, "-n", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("supervisord.out").toFile()).start();
        ExecutorService rpc = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "peer-supervisord-rpc");
            t.setDaemon(true);
            return t;
        });
        Session session = new Session() {
            private CompletableFuture<String> call(String method, Object... params) {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        return xmlRpc(sock, method, params);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, rpc);
            }

            @Override
            public long supervisorPid() {
                return p.pid();
            }

            /** Writes the program's file and has supervisord read it, as supervisorctl update. */
            private void addGroup(int n, boolean autostart) throws IOException {
                Files.writeString(dir.resolve("conf.d").resolve(Workloads.sleepGroup(n) + ".conf"), sleepers(n, w, autostart));
                xmlRpc(sock, "supervisor.reloadConfig");
                xmlRpc(sock, "supervisor.addProcessGroup", Workloads.sleepGroup(n));
            }

            @Override
            public void prepareSleepers(int n) throws IOException {
                if (byGroupStart) {
                    addGroup(n, false);
                }
            }

            @Override
            public CompletableFuture<?> startSleepers(int n) {
                if (byGroupStart) {
                    return call("supervisor.startProcessGroup", Workloads.sleepGroup(n), Boolean.FALSE);
                }
                return CompletableFuture.runAsync(() -> {
                    try {
                        addGroup(n, true);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, rpc);
            }

            @Override
            public CompletableFuture<?> stopSleepers(int n) {
                return call("supervisor.stopProcessGroup", Workloads.sleepGroup(n), Boolean.TRUE)
                        .thenCompose(x -> call("supervisor.removeProcessGroup", Workloads.sleepGroup(n)));
            }

            @Override
            public Path startWriter() {
                call("supervisor.startProcess", Workloads.WRITER, Boolean.FALSE);
                return dir.resolve("supervisord-lines.log");
            }

            @Override
            public CompletableFuture<?> forgetWriter() {
                return CompletableFuture.completedFuture(null); // it ran once and is not restarted
            }

            @Override
            public void close() {
                List<ProcessHandle> tree = ProcTree.descendants(p.pid());
                try {
                    call("supervisor.shutdown").get(10, TimeUnit.SECONDS);
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // killed below
                }
                rpc.shutdownNow();
                ProcTree.killTree(p.pid());
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        };
        // Up when its socket answers.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                xmlRpc(sock, "supervisor.getState");
                return session;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    session.close();
                    throw new IOException("supervisord did not start (see " + dir.resolve("supervisord.out") + "): " + e.getMessage(), e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** One XML-RPC call (strings and booleans as parameters) over HTTP/1.0 on the unix socket; the reply's body. */
    static String xmlRpc(Path socket, String method, Object... params) throws IOException {
        StringBuilder body = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>").append(method)
                .append("</methodName><params>");
        for (Object p : params) {
            body.append("<param><value>").append(p instanceof Boolean b ? "<boolean>" + (b ? 1 : 0) + "</boolean>"
                    : "<string>" + p + "</string>").append("</value></param>");
        }
        byte[] xml = body.append("</params></methodCall>").toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: " + xml.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(head.length + xml.length).put(head).put(xml).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                reply.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String text = reply.toString(StandardCharsets.UTF_8);
            int start = text.indexOf("\r\n\r\n");
            String xmlReply = start < 0 ? text : text.substring(start + 4);
            Matcher fault = Pattern.compile("<name>faultString</name>\\s*<value>(?:<string>)?([^<]*)").matcher(xmlReply);
            if (fault.find()) {
                throw new IllegalStateException("supervisord " + method + ": " + fault.group(1));
            }
            if (!text.startsWith("HTTP/1.") || !text.contains(" 200 ")) {
                throw new IOException("supervisord " + method + ": " + text.lines().findFirst().orElse("no reply"));
            }
            return xmlReply;
        }
    }
}
