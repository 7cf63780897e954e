package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.testsupport.HttpMain;
import io.tspm.testsupport.Scripts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    private static int port(ProcessInstance i) {
        return i.port().orElseThrow(() -> new AssertionError(i.processName() + "#" + i.id() + " has no port"));
    }

    private static String get(int port) throws IOException {
        try (InputStream in = new URL("http://127.0.0.1:" + port + "/").openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void eachInstanceGetsItsOwnFreePortInTheEnvironmentTheTemplatesAndItsHandle() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("echo", p -> p.shell("echo \"env=$PORT arg=$1 url=$URL\"; sleep 60").args("{port}")
                        .env("URL", "http://127.0.0.1:{port}/").instances(3).freePorts())
                .build()) {
            s.start();
            Set<Integer> ports = new HashSet<>();
            for (ProcessInstance i : s.group("echo").instances()) {
                int port = port(i);
                ports.add(port);
                await().until(() -> i.recentOutput(1).equals(
                        List.of("env=" + port + " arg=" + port + " url=http://127.0.0.1:" + port + "/")));
                assertThat(i.snapshot().port()).hasValue(port);
            }
            assertThat(ports).hasSize(3).allMatch(p -> p > 0 && p <= 65535);
        }
    }

    @Test
    void aServerListensOnItsFreePortAndKeepsItAcrossRestarts() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess("http", p -> p.command(Scripts.java(HttpMain.class)).freePorts()
                        .restartPolicy(RestartPolicy.builder().mode(RestartMode.ALWAYS)
                                .fixedDelay(java.time.Duration.ofMillis(50)).build()))
                .build()) {
            s.start();
            ProcessInstance http = s.group("http").instance(0);
            int port = port(http);
            await().until(() -> get(port).startsWith("instance 0"));

            http.restart();
            assertThat(port(http)).isEqualTo(port);
            await().until(() -> get(port).startsWith("instance 0"));

            long pid = http.pid().orElseThrow();
            http.signal(Signal.KILL); // a crash: the policy restarts it, on the same port
            await().until(() -> http.pid().isPresent() && http.pid().getAsLong() != pid && listening(port));
            assertThat(port(http)).isEqualTo(port);
        }
    }

    @Test
    void aPortTakenWhileTheInstanceWasStoppedIsReplacedByAnotherFreeOneOnItsNextStart() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess("echo", p -> p.shell("echo \"port=$PORT\"; sleep 60").freePorts())
                .build()) {
            s.start();
            ProcessInstance echo = s.group("echo").instance(0);
            int first = port(echo);
            echo.stop();
            try (ServerSocket squatter = new ServerSocket()) {
                squatter.bind(new InetSocketAddress(first));
                echo.start();
                int second = port(echo);
                assertThat(second).isNotEqualTo(first);
                await().until(() -> echo.recentOutput(1).equals(List.of("port=" + second)));
            }
        }
    }

    @Test
    void aFixedPortAnotherProgramHolds_failsTheStartNamingThePort_andAStartOnceItIsFreeRuns() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            int taken = 23457; // below the kernel's ephemeral range: no client connection takes it meanwhile
            squatter.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), taken));
            try (Supervisor s = Supervisor.builder()
                    .addProcess("web", p -> p.shell("sleep 60").basePort(taken - 1).instances(2)).build()) {
                assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                        .hasMessageContaining("port " + taken + " of process 'web' instance 1 (basePort " + (taken - 1)
                                + " + 1) is in use by another program");
                assertThat(s.group("web").instance(1).state()).isNotIn(InstanceState.RUNNING, InstanceState.STARTING);
                squatter.close();
                s.start();
                assertThat(s.group("web").instance(1).state()).isEqualTo(InstanceState.RUNNING);
            }
        }
    }

    @Test
    void aReloadsReplacementGetsASecondFreePortWhichTheSlotThenKeeps() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess("http", p -> p.command(Scripts.java(HttpMain.class)).freePorts().instances(2))
                .build()) {
            s.start();
            ProcessGroup http = s.group("http");
            List<Integer> before = new ArrayList<>();
            http.instances().forEach(i -> before.add(port(i)));
            for (int port : before) {
                await().until(() -> listening(port));
            }

            http.reload();
            List<Integer> after = new ArrayList<>();
            http.instances().forEach(i -> after.add(port(i)));
            assertThat(after).doesNotContainAnyElementsOf(before).doesNotHaveDuplicates();
            for (int i = 0; i < 2; i++) {
                int port = after.get(i);
                String expected = "instance " + i;
                await().until(() -> get(port).startsWith(expected));
            }
            http.instance(0).restart();
            assertThat(port(http.instance(0))).isEqualTo(after.get(0));
        }
    }

    @Test
    void supervisorsBuiltAtOnceOnManyThreadsNeverShareAPort() throws Exception {
        int threads = 4;
        int each = 25;
        CyclicBarrier together = new CyclicBarrier(threads);
        List<CompletableFuture<Supervisor>> built = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            built.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return Supervisor.builder().shutdownHook(false)
                        .addProcess("web", p -> p.command("sleep", "60").instances(each).freePorts()).build();
            }));
        }
        // All built before any closes: a closed supervisor gives its ports back, and one still being
        // built may then be handed one of them, as it should.
        List<Supervisor> all = built.stream().map(CompletableFuture::join).toList();
        List<Integer> ports = new ArrayList<>();
        try {
            all.forEach(s -> s.group("web").instances().forEach(i -> ports.add(port(i))));
        } finally {
            all.forEach(Supervisor::close);
        }
        assertThat(ports).hasSize(threads * each).doesNotHaveDuplicates();
    }

    @Test
    void freePortsAndBasePortReplaceEachOtherAndShowInTheSpec() {
        ProcessSpec free = ProcessSpec.builder("web").command("x").basePort(8080).freePorts().build();
        assertThat(free.freePorts()).isTrue();
        assertThat(free.basePort()).isEmpty();
        assertThat(free.toString()).contains("freePorts");
        assertThat(free.toBuilder().build()).isEqualTo(free);

        ProcessSpec fixed = free.toBuilder().basePort(8080).build();
        assertThat(fixed.freePorts()).isFalse();
        assertThat(fixed.basePort()).hasValue(8080);
        assertThat(fixed).isNotEqualTo(free);
        assertThat(free.toBuilder().clearBasePort().build().instanceSettings().hasPorts()).isFalse();

        assertThatThrownBy(() -> ProcessSpec.builder("web").basePort(0))
                .hasMessage("basePort must be in 1..65535, but was 0 (freePorts() hands each instance a free port)");
        assertThatThrownBy(() -> ProcessSpec.builder("web").command("x").freePorts().env("PORT", "1").build())
                .hasMessage("process 'web': env sets PORT, which freePorts sets for every instance");
        assertThatThrownBy(() -> ProcessSpec.builder("web").command("x").freePorts().instanceVar("P").portVar("P")
                .build()).hasMessageContaining("instanceVar and portVar must differ, but both are 'P'");
    }
}
