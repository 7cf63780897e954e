package io.tspm.loadbalancer;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's socket behaviour against in-test servers: bytes, half-close, back-pressure, limits, failures. */
class TcpProxySocketTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private TcpProxy proxy(FakeGroup group, java.util.function.UnaryOperator<TcpProxy.Builder> settings)
            throws IOException {
        return closing(settings.apply(TcpProxy.builder().group(group.group)).open());
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads until the peer closes; -1 at once means the proxy closed without a byte. */
    private static byte[] readAll(Socket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    @Test
    void bytesFlowBothWays_aHalfCloseIsPassedThrough_andTheLeaseCountsThem() throws Exception {
        // The server answers only after the client's end of stream: it must arrive as a half-close.
        Upstream counting = closing(new Upstream(s -> {
            long n = s.getInputStream().transferTo(OutputStream.nullOutputStream());
            s.getOutputStream().write(("got " + n).getBytes(StandardCharsets.UTF_8));
        }));
        FakeGroup group = FakeGroup.of(counting.port());
        TcpProxy proxy = proxy(group, b -> b);
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(payload);
        try (Socket s = connect(proxy)) {
            s.getOutputStream().write(payload);
            s.shutdownOutput();
            assertThat(new String(readAll(s), StandardCharsets.UTF_8)).isEqualTo("got " + payload.length);
        }
        await().until(() -> group.inFlight[0].get() == 0);
        assertThat(group.bytesToInstance[0].get()).isEqualTo(payload.length);
        assertThat(group.bytesFromInstance[0].get()).isEqualTo(("got " + payload.length).length());
        assertThat(proxy.stats().accepted()).isEqualTo(1);
        await().until(() -> proxy.stats().open() == 0);
    }

    @Test
    void aStreamThroughBuffersOfEverySize_arrivesWhole() throws Exception {
        // 1 KiB: one size from the start; 64 KiB: the 16 KiB first buffer is traded mid-stream.
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(echo.port());
        for (int size : new int[] {1024, 64 * 1024}) {
            TcpProxy proxy = proxy(group, b -> b.bufferSize(size));
            byte[] payload = new byte[2 * 1024 * 1024 + 3];
            new Random(size).nextBytes(payload);
            try (Socket s = connect(proxy)) {
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                    try {
                        return readAll(s);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                s.getOutputStream().write(payload);
                s.shutdownOutput();
                assertThat(back.get(20, TimeUnit.SECONDS)).isEqualTo(payload);
            }
        }
    }

    @Test
    void manyConnectionsAtOnce_eachGetsItsOwnBytesBack() throws Exception {
        Upstream echo = closing(Upstream.echo());
        Upstream echo2 = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(echo.port(), echo2.port());
        TcpProxy proxy = proxy(group, b -> b.eventLoops(2));
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                int seed = c;
                results.add(clients.submit(() -> {
                    byte[] payload = new byte[20_000 + seed];
                    new Random(seed).nextBytes(payload);
                    try (Socket s = connect(proxy)) {
                        CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                            try {
                                return readAll(s);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                        s.getOutputStream().write(payload);
                        s.shutdownOutput();
                        return java.util.Arrays.equals(back.get(10, TimeUnit.SECONDS), payload);
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            clients.shutdownNow();
        }
        // Two loops pick, each its own exact rotation: the shares are even to within one pick per loop.
        assertThat(group.served[0].get() + group.served[1].get()).isEqualTo(200);
        assertThat(Math.abs(group.served[0].get() - group.served[1].get())).isLessThanOrEqualTo(2);
        await().until(() -> group.inFlightTotal() == 0);
    }

    @Test
    void aSlowReader_stopsTheProxyReadingFromTheWriter_andEveryByteStillArrives() throws Exception {
        CountDownLatch startReading = new CountDownLatch(1);
        CompletableFuture<long[]> received = new CompletableFuture<>();
        Upstream slow = closing(new Upstream(s -> {
            try {
                startReading.await();
            } catch (InterruptedException e) {
                return;
            }
            CRC32 crc = new CRC32();
            byte[] b = new byte[65536];
            long n = 0;
            InputStream in = s.getInputStream();
            for (int r; (r = in.read(b)) > 0; ) {
                crc.update(b, 0, r);
                n += r;
            }
            received.complete(new long[] {n, crc.getValue()});
        }));
        FakeGroup group = FakeGroup.of(slow.port());
        TcpProxy proxy = proxy(group, b -> b.bufferSize(64 * 1024));
        CRC32 sent = new CRC32();
        long written = 0;
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                proxy.port())); Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            Random random = new Random(5);
            // Write until the path is full: no room for half a second.
            while (written < 512L * 1024 * 1024) {
                if (!chunk.hasRemaining() || chunk.position() == 0) {
                    chunk.clear();
                    random.nextBytes(chunk.array());
                }
                int n = ch.write(chunk);
                if (n == 0) {
                    if (selector.select(500) == 0) {
                        break;
                    }
                    selector.selectedKeys().clear();
                    continue;
                }
                sent.update(chunk.array(), chunk.position() - n, n);
                written += n;
            }
            // Bounded by socket buffers plus the proxy's 64 KiB, far below what the loop would write.
            assertThat(written).isLessThan(64L * 1024 * 1024);
            startReading.countDown();
            // Finish the partial chunk, then end.
            while (chunk.hasRemaining() && chunk.position() != 0) {
                int from = chunk.position();
                int n = ch.write(chunk);
                sent.update(chunk.array(), from, n);
                written += n;
                if (n == 0) {
                    selector.select(1000);
                    selector.selectedKeys().clear();
                }
            }
            ch.shutdownOutput();
            long[] got = received.get(20, TimeUnit.SECONDS);
            assertThat(got[0]).isEqualTo(written);
            assertThat(got[1]).isEqualTo(sent.getValue());
        }
    }

    @Test
    void noInstance_closesTheClientAtOnce_andCountsIt() throws Exception {
        FakeGroup group = new FakeGroup(List.of());
        TcpProxy proxy = proxy(group, b -> b);
        try (Socket s = connect(proxy)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().until(() -> proxy.stats().unserved() == 1 && proxy.stats().open() == 0);
    }

    @Test
    void aRefusedConnect_isRetriedOnAnotherInstance_andCountedOnTheLease() throws Exception {
        int dead = freePort();
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(dead, echo.port());
        TcpProxy proxy = proxy(group, b -> b.outlierDetection(OutlierDetection.OFF));
        for (int k = 0; k < 6; k++) {
            try (Socket s = connect(proxy)) {
                s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                assertThat(new String(readAll(s), StandardCharsets.UTF_8)).isEqualTo("ping");
            }
        }
        // Each connection's retry takes a turn of the round robin, so every first try lands on the dead one.
        assertThat(group.connectFailures[0].get()).isEqualTo(6);
        assertThat(proxy.stats().connectFailures()).isEqualTo(6);
        assertThat(group.ejections).isEmpty();
        await().until(() -> group.inFlightTotal() == 0);
    }

    @Test
    void consecutiveConnectFailures_ejectTheInstance() throws Exception {
        int dead = freePort();
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(dead, echo.port());
        TcpProxy proxy = proxy(group, b -> b.outlierDetection(OutlierDetection.DEFAULTS.withConsecutiveFailures(2)
                .withMaxEjectedShare(0.5)));
        for (int k = 0; k < 8; k++) {
            try (Socket s = connect(proxy)) {
                s.shutdownOutput();
                readAll(s);
            }
        }
        assertThat(group.ejections).containsExactly("0 for 30 s");
        assertThat(group.connectFailures[0].get()).isEqualTo(2);
        assertThat(proxy.stats().ejections()).isEqualTo(1);
    }

    @Test
    void whenEveryAttemptFails_theClientIsClosedAtOnce() throws Exception {
        FakeGroup group = FakeGroup.of(freePort(), freePort());
        TcpProxy proxy = proxy(group, b -> b.connectAttempts(2).outlierDetection(OutlierDetection.OFF));
        try (Socket s = connect(proxy)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(group.connectFailures[0].get() + group.connectFailures[1].get()).isEqualTo(2);
        await().until(() -> proxy.stats().unserved() == 1);
    }

    @Test
    void aConnectThatHangs_timesOutAndIsRetried() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs.
        ServerSocket full = closing(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        List<SocketChannel> fillers = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            SocketChannel f = SocketChannel.open();
            f.configureBlocking(false);
            f.connect(full.getLocalSocketAddress());
            fillers.add(f);
            toClose.add(f);
        }
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(full.getLocalPort(), echo.port());
        TcpProxy proxy = proxy(group, b -> b.connectTimeout(Duration.ofMillis(300))
                .outlierDetection(OutlierDetection.OFF));
        try (Socket s = connect(proxy)) {
            s.getOutputStream().write('x');
            s.shutdownOutput();
            assertThat(readAll(s)).containsExactly('x');
        }
        assertThat(group.connectFailures[0].get()).isEqualTo(1);
    }

    @Test
    void pastMaxConnections_aClientIsClosedAtOnce() throws Exception {
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(echo.port());
        TcpProxy proxy = proxy(group, b -> b.maxConnections(2));
        try (Socket a = connect(proxy); Socket b = connect(proxy)) {
            await().until(() -> group.inFlight[0].get() == 2);
            try (Socket c = connect(proxy)) {
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(proxy.stats().overLimit()).isEqualTo(1);
            a.getOutputStream().write(1);
            assertThat(a.getInputStream().read()).isEqualTo(1); // the open ones still work
        }
    }

    @Test
    void anIdleConnection_isClosedAfterTheIdleTimeout() throws Exception {
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(echo.port());
        TcpProxy proxy = proxy(group, b -> b.idleTimeout(Duration.ofMillis(300)));
        try (Socket s = connect(proxy)) {
            s.getOutputStream().write(7);
            assertThat(s.getInputStream().read()).isEqualTo(7);
            assertThat(s.getInputStream().read()).isEqualTo(-1); // then nothing: closed by the proxy
        }
        await().until(() -> proxy.stats().idleClosed() == 1 && group.inFlight[0].get() == 0);
    }

    @Test
    void aPortInUse_isAnErrorNamingTheProcessAndThePort() throws Exception {
        ServerSocket taken = closing(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        FakeGroup group = FakeGroup.of(1);
        assertThatThrownBy(() -> TcpProxy.builder().group(group.group).port(taken.getLocalPort()).open())
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("process 'web': the proxy cannot listen on 127.0.0.1:" + taken.getLocalPort()
                        + " (");
    }

    @Test
    void close_closesEveryConnection_endsTheLeases_andLeavesNoThread() throws Exception {
        Upstream echo = closing(Upstream.echo());
        FakeGroup group = FakeGroup.of(echo.port());
        TcpProxy proxy = TcpProxy.builder().group(group.group).eventLoops(3).open();
        assertThat(proxyThreads()).hasSize(3);
        Socket held = closing(connect(proxy));
        held.getOutputStream().write(1);
        assertThat(held.getInputStream().read()).isEqualTo(1);
        proxy.close();
        proxy.close(); // idempotent
        assertThat(proxyThreads()).isEmpty();
        assertThat(held.getInputStream().read()).isEqualTo(-1);
        assertThat(group.inFlight[0].get()).isZero();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()))
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void badSettings_areRejectedWithTheFieldAndTheValue() {
        assertThatThrownBy(() -> TcpProxy.builder().port(70000)).hasMessage("port must be in 0..65535, but was 70000");
        assertThatThrownBy(() -> TcpProxy.builder().eventLoops(0)).hasMessage("eventLoops must be in 1..64, but was 0");
        assertThatThrownBy(() -> TcpProxy.builder().connectTimeout(Duration.ZERO))
                .hasMessage("connectTimeout must be > 0, but was 0 ms");
        assertThatThrownBy(() -> TcpProxy.builder().maxConnections(0))
                .hasMessage("maxConnections must be >= 1, but was 0");
        assertThatThrownBy(() -> TcpProxy.builder().open()).isInstanceOf(IllegalStateException.class)
                .hasMessage("group must be set");
        assertThatThrownBy(() -> OutlierDetection.DEFAULTS.withMaxEjectedShare(1.5))
                .hasMessage("maxEjectedShare must be in 0..1, but was 1.5");
    }

    private static List<Thread> proxyThreads() {
        List<Thread> out = new ArrayList<>();
        Thread.getAllStackTraces().keySet().forEach(t -> {
            if (t.getName().startsWith("tspm-proxy-web-") && t.isAlive()) {
                out.add(t);
            }
        });
        return out;
    }

    /** A port nobody listens on (taken from the system, then released). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
