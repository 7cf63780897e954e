package io.tspm.healthcheck;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tspm.ExitRecord;
import io.tspm.InstanceState;
import io.tspm.ProbeSettings;
import io.tspm.ProcessInstance;
import io.tspm.ProcessStartException;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import io.tspm.event.HealthChanged;
import io.tspm.spi.Probe;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testsupport.Scripts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in probe against a real server or a real child. */
class ProbesTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable c : servers) {
            c.close();
        }
    }

    private static ProbeSettings fast(Probe probe, int failures) {
        return ProbeSettings.builder(probe).period(Duration.ofMillis(50)).timeout(Duration.ofMillis(500))
                .failureThreshold(failures).build();
    }

    private int httpServer(int... statuses) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/", exchange -> {
            int n = calls.getAndIncrement();
            int status = statuses[Math.min(n, statuses.length - 1)];
            byte[] body = ("status " + status + " UP").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    @Test
    void httpProbeWaitsThrough500ForA200() throws Exception {
        int port = httpServer(500, 500, 200);
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("web", p -> p.command("sleep", "60")
                        .readinessProbe(fast(Probes.http("http://127.0.0.1:" + port + "/health").expectBody("UP"), 10)))
                .build()) {
            s.start();
            assertThat(s.describe("web").get(0).ready()).isTrue();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndFailsTheStartup() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(silent);
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(silent.accept()); // accept, never answer
                }
            } catch (Exception closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        try (Supervisor s = Supervisor.builder()
                .addProcess("mute", p -> p.command("sleep", "60").restartPolicy(RestartPolicy.never())
                        .startupProbe(ProbeSettings.startupBuilder(Probes.http("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                                .period(Duration.ofMillis(50)).timeout(Duration.ofMillis(200)).failureThreshold(2).build()))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'mute' instance 0 failed to start: startup probe http GET")
                    .hasMessageContaining("failed 2 times")
                    .hasMessageContaining("did not answer within 200 ms");
            // The probe's kill and the failed start's stop race to it: it ends exited or stopped, never running.
            await().until(() -> s.describe("mute").get(0).state() == InstanceState.EXITED
                    || s.describe("mute").get(0).state() == InstanceState.STOPPED);
            assertThat(s.describe("mute").get(0).pid()).isEmpty();
            assertThat(s.describe("mute").get(0).lastExit()).isPresent();
        }
    }

    @Test
    void httpsWithASelfSignedCertificateNeedsTrustAll() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
        try (Supervisor s = Supervisor.builder().stopOnStartFailure(false) // 'trusting' runs on after 'strict' failed
                .addProcess("trusting", p -> p.command("sleep", "60")
                        .readinessProbe(fast(Probes.http(url).trustAllCertificates(), 5)))
                .addProcess("strict", p -> p.command("sleep", "60").restartPolicy(RestartPolicy.never())
                        .startupProbe(ProbeSettings.startupBuilder(Probes.http(url)).period(Duration.ofMillis(50))
                                .failureThreshold(2).build()))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'strict'").hasMessageContaining("SSLHandshakeException");
            s.awaitReady("trusting", Duration.ofSeconds(20));
        }
    }

    @Test
    void tcpProbeOnTheAssignedPortOfARealChild() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("listener", p -> p.command(Scripts.java(ListenMain.class, "300")).instances(2).basePort(22310)
                        .readinessProbe(fast(Probes.tcp("{port}"), 100)))
                .build()) {
            s.start();
            for (int id = 0; id < 2; id++) {
                assertThat(s.group("listener").instance(id).recentOutput(5)).contains("listening");
            }
        }
    }

    @Test
    void aLogLineThatAppearsAfterASecond() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("slow", p -> p.shell("echo booting; sleep 1; echo 'Server started in 1s'; sleep 60")
                        .startupProbe(Probes.logLine("started in \\d+s")))
                .build()) {
            s.start();
            assertThat(s.group("slow").instance(0).recentOutput(5)).contains("Server started in 1s");
        }
    }

    @Test
    void aFailurePatternFailsTheStartAtOnceWithTheOutput() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("busy", p -> p.shell("echo 'bind: Address already in use'; sleep 60")
                        .restartPolicy(RestartPolicy.never())
                        .startupProbe(Probes.logLine("listening").failOn("Address already in use")))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("startup probe log line /listening/ failed: output line 'bind: Address already in use'"
                            + " matches failure pattern /Address already in use/")
                    .hasMessageContaining("| bind: Address already in use");
            await().until(() -> s.describe("busy").get(0).pid().isEmpty());
        }
    }

    @Test
    void aChildThatDiesBeforeItIsReadyFailsStartAtOnceWithItsLastLines() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("dies", p -> p.shell("echo 'loading config'; echo 'fatal: no such table' >&2; exit 3")
                        .restartPolicy(RestartPolicy.never())
                        .startupProbe(Probes.logLine("never printed")))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("exited before it was ready (exit code 3")
                    .hasMessageContaining("| loading config")
                    .hasMessageContaining("| fatal: no such table");
        }
    }

    @Test
    void livenessFailingPastItsThresholdRestartsTheInstance() throws Exception {
        Path alive = Files.createFile(dir.resolve("alive"));
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("zombie", p -> p.command("sleep", "60")
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(10)).build())
                        .livenessProbe(fast(Probes.command("test", "-f", alive.toString()), 3)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("zombie").instance(0);
            long pid = i.pid().getAsLong();
            Files.delete(alive);
            await().until(() -> !i.exitHistory().isEmpty());
            ExitRecord r = i.exitHistory().get(0);
            assertThat(r.pid()).isEqualTo(pid);
            assertThat(r.requested()).isFalse();
            assertThat(r.reason()).get().asString()
                    .isEqualTo("liveness probe command [test, -f, " + alive + "] failed 3 times: command [test, -f, "
                            + alive + "] exited 1");
            Files.createFile(alive);
            await().until(() -> i.state() == InstanceState.RUNNING && i.pid().getAsLong() != pid);
        }
    }

    @Test
    void readinessFlapsWithoutLeavingRunningAndAReadyFileSignalsReadiness() throws Exception {
        Path flag = dir.resolve("flag");
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("flappy", p -> p.shell("sleep 0.2; touch \"$TSPM_READY_FILE\"; sleep 60")
                        .readinessProbe(fast(Probes.all(Probes.readyFile(),
                                Probes.any(Probes.command("test", "!", "-f", flag.toString()), Probes.tcp(1))), 2)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("flappy").instance(0);
            assertThat(i.snapshot().ready()).isTrue();
            Files.createFile(flag);
            await().until(() -> !i.snapshot().ready());
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
            Files.delete(flag);
            await().until(() -> i.snapshot().ready());
            await().until(() -> events.of(HealthChanged.class).size() == 2);
            assertThat(events.of(HealthChanged.class)).extracting(HealthChanged::ready).containsExactly(false, true);
        }
    }

    /** A server answering each path with its own status and body, and echoing POSTs and a header. */
    private int routes() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
            String body = path.equals("/echo") ? ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8) + " token=" + ex.getRequestHeaders().getFirst("X-Token") : "health: DOWN";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (!ex.getRequestMethod().equals("HEAD")) {
                    out.write(b);
                }
            }
        });
        server.start();
        servers.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    /** Runs one check of a probe against a sleeping child, through a startup probe that allows 1 failure. */
    private String verdict(Probe probe) {
        try (Supervisor s = Supervisor.builder()
                .addProcess("p", p -> p.command("sleep", "60").restartPolicy(RestartPolicy.never())
                        .startupProbe(ProbeSettings.startupBuilder(probe).failureThreshold(1).build()))
                .build()) {
            s.start();
            return "passed";
        } catch (ProcessStartException e) {
            return e.reason();
        }
    }

    @Test
    void httpJudgesStatusRangesBodiesMethodsAndHeaders() throws Exception {
        int port = routes();
        String base = "http://127.0.0.1:" + port;
        assertThat(verdict(Probes.http(base + "/status/204"))).isEqualTo("passed");
        assertThat(verdict(Probes.http(base + "/status/302"))).isEqualTo("passed");
        assertThat(verdict(Probes.http(base + "/status/404"))).contains("-> 404, expected 200..399");
        assertThat(verdict(Probes.http(base + "/status/404").expectStatus(404, 404))).isEqualTo("passed");
        assertThat(verdict(Probes.http(base + "/status/200").expectBody("UP")))
                .contains("body does not contain 'UP': 'health: DOWN'");
        assertThat(verdict(Probes.http(base + "/status/200").expectBodyMatching("health: (UP|DOWN)"))).isEqualTo("passed");
        assertThat(verdict(Probes.http(base + "/echo").post("ping").header("X-Token", "t1").expectBody("POST ping token=t1")))
                .isEqualTo("passed");
        assertThat(verdict(Probes.http(base + "/status/204").method("HEAD"))).isEqualTo("passed");
        assertThat(verdict(Probes.tcp("70000"))).contains("tcp probe port must be in 1..65535, but was 70000");
        assertThat(verdict(Probes.http("http://127.0.0.1:{port}/"))).contains("has no basePort");
    }

    @Test
    void startFailsFastWhenOneProcessDiesWhileAnotherStillWaitsOnItsProbe() {
        try (Supervisor s = Supervisor.builder().startTimeout(Duration.ofSeconds(50))
                .addProcess("dies", p -> p.shell("echo bye; exit 4").restartPolicy(RestartPolicy.never()))
                .addProcess("waits", p -> p.command("sleep", "60").readinessProbe(fast(Probes.logLine("never"), 1000)))
                .build()) {
            // A timeout would be a plain TspmException after 50 s; failing fast is this one.
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'dies'").hasMessageContaining("| bye");
        }
    }

    @Test
    void awaitReadyWaitsForReadinessAndFailsAtOnceForAnExitedInstance() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("later", p -> p.shell("sleep 0.3; echo up; sleep 60").autostart(false)
                        .readinessProbe(fast(Probes.logLine("^up$"), 1000)))
                .addProcess("gone", p -> p.shell("exit 0").readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never()))
                .build()) {
            s.start();
            s.group("later").startAsync();
            s.awaitReady("later", Duration.ofSeconds(20));
            assertThat(s.describe("later").get(0).ready()).isTrue();
            await().until(() -> s.describe("gone").get(0).state() == InstanceState.EXITED);
            assertThatThrownBy(() -> s.awaitReady("gone", Duration.ofSeconds(30)))
                    .isInstanceOf(ProcessStartException.class).hasMessageContaining("not ready: it exited");
        }
    }

    @Test
    void readyFilesOfTwoSupervisorsNeverCollide() {
        // Same process name and id in both. b's child is spawned first (its ready file cleared
        // before the spawn), then a's child creates its own: in one shared directory that would be
        // b's file too, and b would be ready.
        String printsItsReadyFile = "echo \"$TSPM_READY_FILE\"; ";
        try (Supervisor a = Supervisor.builder()
                .addProcess("p", p -> p.shell(printsItsReadyFile + "touch \"$TSPM_READY_FILE\"; exec sleep 60")
                        .readinessProbe(fast(Probes.readyFile(), 1000)))
                .build();
                Supervisor b = Supervisor.builder()
                        .addProcess("p", p -> p.shell(printsItsReadyFile + "exec sleep 60")
                                .readinessProbe(fast(Probes.readyFile(), 1000)))
                        .build()) {
            ProcessInstance inB = b.group("p").instance(0);
            b.group("p").startAsync();
            await().until(() -> !inB.recentOutput(1).isEmpty());
            a.start();
            Path fileA = Path.of(a.group("p").instance(0).recentOutput(1).get(0));
            Path fileB = Path.of(inB.recentOutput(1).get(0));
            assertThat(fileA).exists();
            assertThat(fileB).doesNotExist();
            assertThat(fileA.getParent()).isNotEqualTo(fileB.getParent());
            assertThatThrownBy(() -> b.awaitReady("p", Duration.ofMillis(800))).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("did not finish within 800 ms");
            assertThat(inB.snapshot().ready()).isFalse();
        }
    }

    @Test
    void aLogLineScrolledOutOfTheRingStillCounts() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("chatty", p -> p.shell("echo 'Server started'; i=0; while [ $i -lt 3000 ]; do echo noise $i; "
                        + "i=$((i+1)); done; sleep 60")
                        .logs(io.tspm.LogSettings.builder().recentLines(100).build())
                        .startupProbe(ProbeSettings.startupBuilder(Probes.logLine("Server started"))
                                .initialDelay(Duration.ofMillis(500)).build()))
                .build()) {
            s.start();
            assertThat(s.group("chatty").instance(0).recentOutput(100)).noneMatch(l -> l.contains("Server started"));
        }
    }

    @Test
    void aLivenessKillRestartsEvenAChildThatExitsZeroOnSigterm() throws Exception {
        Path alive = Files.createFile(dir.resolve("alive2"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("polite", p -> p.shell("trap 'exit 0' TERM; while true; do sleep 0.05; done")
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(10)).build())
                        .livenessProbe(fast(Probes.command("test", "-f", alive.toString()), 2)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("polite").instance(0);
            Files.delete(alive);
            await().until(() -> !i.exitHistory().isEmpty());
            ExitRecord r = i.exitHistory().get(0);
            assertThat(r.status().exitValue()).isZero();
            assertThat(r.decision()).isEqualTo(io.tspm.RestartDecision.RESTART);
            assertThat(r.isCrash()).isTrue();
        }
    }

    @Test
    void probeBuildersRejectBadInput() {
        assertThatThrownBy(() -> Probes.http("http://x/").expectStatus(500, 200))
                .hasMessage("expectStatus must be a range within 100..599, but was 500..200");
        assertThatThrownBy(() -> Probes.http("http://x/").method("PUT")).hasMessage("method must be GET, HEAD or POST, but was 'PUT'");
        assertThatThrownBy(() -> Probes.logLine("x").times(0)).hasMessage("times must be >= 1, but was 0");
        assertThatThrownBy(Probes::command).hasMessage("command must name a program, but was []");
        assertThatThrownBy(Probes::all).hasMessage("all needs at least one probe, but got none");
        assertThatThrownBy(() -> ProbeSettings.builder(Probes.tcp(1)).failureThreshold(0))
                .hasMessage("failureThreshold must be >= 1, but was 0");
        assertThatThrownBy(() -> ProbeSettings.builder(Probes.tcp(1)).period(Duration.ZERO))
                .hasMessage("period must be positive, but was 0 ms");
        assertThatThrownBy(() -> io.tspm.ProcessSpec.builder("x").livenessProbe(
                ProbeSettings.builder(Probes.tcp(1)).successThreshold(2).build()))
                .hasMessage("livenessProbe successThreshold must be 1 (as in Kubernetes), but was 2");
    }
}
