package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API's defences, against a real detached runner: a private token, loopback only, a
 * 401 that tells nothing, bounded bodies, and clients that stall or send too much do not hurt it.
 */
@EnabledIfSystemProperty(named = "tspm.launcher", matches = ".+",
        disabledReason = "runs in the integration-test phase, once the launcher is assembled")
class ControlApiSecurityLauncherTest {

    @TempDir
    static Path dir;

    static Launcher tspm;
    static int port;
    static String token;

    @BeforeAll
    static void startRunner() throws Exception {
        tspm = new Launcher(dir);
        // A stalled request is cut off after 2 s instead of the launcher's 10 s: a shorter test.
        tspm.extraEnv.put("TSPM_JAVA_OPTS", "-Dsun.net.httpserver.maxReqTime=2");
        Files.writeString(dir.resolve("tspm.yaml"), String.join("\n",
                "processes:",
                "  - name: web",
                "    shell: 'printf \"jobs_done_total 42\\n\" > \"$TSPM_METRICS_FILE.tmp\"; mv \"$TSPM_METRICS_FILE.tmp\""
                        + " \"$TSPM_METRICS_FILE\"; while true; do echo tick; sleep 1; done'",
                ""));
        Launcher.Result start = tspm.run("start", "tspm.yaml");
        assertThat(start.exit()).as(start.toString()).isZero();
        port = Integer.parseInt(Files.readString(dir.resolve(".tspm/port")).trim());
        token = Files.readString(dir.resolve(".tspm/token")).trim();
    }

    @AfterAll
    static void killRunner() throws Exception {
        try {
            tspm.run("kill");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
        } finally {
            tspm.killLeftovers();
        }
    }

    @Test
    void filesAreOwnerOnly_logsGroupReadable() throws Exception {
        assertThat(Files.getPosixFilePermissions(dir.resolve(".tspm/token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve(".tspm")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(tspm.run("save").exit()).isZero();
        assertThat(Files.getPosixFilePermissions(dir.resolve(".tspm/dump.yaml")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve(".tspm/logs/web-0.out.log")));
        assertThat(Files.getPosixFilePermissions(dir.resolve(".tspm/logs/web-0.out.log")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    }

    @Test
    void withoutTheToken_401WithNoDetail() throws Exception {
        String none = exchange("GET /v1/processes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(none).startsWith("HTTP/1.1 401").doesNotContain("web", "token", "error");
        String wrong = exchange("GET /v1/processes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + "0".repeat(64)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(wrong).startsWith("HTTP/1.1 401").doesNotContain("web");
        String prefix = exchange("GET /v1/processes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + token.substring(0, 10) + "\r\nConnection: close\r\n\r\n");
        assertThat(prefix).startsWith("HTTP/1.1 401");
        String right = exchange("GET /v1/processes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertThat(right).startsWith("HTTP/1.1 200").contains("\"name\":\"web\"");
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .as("metrics need the token too").startsWith("HTTP/1.1 401");
        String metrics = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertThat(metrics).startsWith("HTTP/1.1 200").contains("text/plain; version=0.0.4")
                .contains("tspm_instance_up{process=\"web\",instance=\"0\",namespace=\"default\"} 1")
                .as("the series the instance wrote to its own file")
                .contains("jobs_done_total{process=\"web\",instance=\"0\",namespace=\"default\"} 42");
    }

    @Test
    void listensOnLoopbackOnly_andElsewhereOnlyWhenAllowed() throws Exception {
        for (InetAddress a : Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a, port), 1000);
                throw new AssertionError("the API answers on " + a);
            } catch (SocketException expected) {
                // Refused: it listens on loopback only.
            }
        }
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("tspm.yaml"), "processes:\n  - name: x\n    shell: 'sleep 100'\n");
        Launcher.Result wide = tspm.run("start", "other/tspm.yaml", "--listen", "0.0.0.0");
        assertThat(wide.exit()).as("a wrong command line, refused before a runner starts: " + wide).isEqualTo(ExitCodes.USAGE);
        assertThat(wide.err()).contains("loopback only", "--allow-remote");
    }

    @Test
    void aHugeBody_isRefusedWithoutBeingRead_andTheRunnerGoesOn() throws Exception {
        String announced = exchange("POST /v1/apply HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Length: 100000000000\r\nConnection: close\r\n\r\n");
        assertThat(announced).startsWith("HTTP/1.1 413");
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/apply HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MiB, more than the 1 MiB limit
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException closedOnUs) {
                // The runner may stop reading and close: that is the point.
            }
            String reply = new String(s.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 413");
        } catch (SocketException closedOnUs) {
            // Closed before the reply could be read: refused all the same.
        }
        assertThat(tspm.run("list").exit()).isZero();
    }

    @Test
    void stalledClients_doNotHoldUpOthers_andAreCutOff() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket s = socket();
                s.getOutputStream().write("GET /v1/processes HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            Launcher.Result list = tspm.run("list");
            assertThat(list.exit()).as(list.toString()).isZero();
            assertThat(list.out()).contains("web");
            for (Socket s : stalled) {
                s.setSoTimeout(15_000);
                InputStream in = s.getInputStream();
                long start = System.nanoTime();
                int read;
                try {
                    read = in.read();
                } catch (SocketException reset) {
                    read = -1;
                }
                assertThat(read).as("the runner closed the stalled request").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        assertThat(tspm.run("list").exit()).isZero();
    }

    private static Socket socket() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String exchange(String request) throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
