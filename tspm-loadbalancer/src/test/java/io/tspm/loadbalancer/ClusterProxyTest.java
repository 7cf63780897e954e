package io.tspm.loadbalancer;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.InstanceSnapshot;
import io.tspm.ProbeSettings;
import io.tspm.ProcessGroup;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import io.tspm.testsupport.Scripts;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real cluster of small Java HTTP servers behind the proxy, through reloads, scaling and a kill. */
class ClusterProxyTest {

    static final Probe LISTENING = Probe.blocking("log line 'listening'",
            ctx -> ctx.countMatches(Pattern.compile("^listening")) > 0 ? ProbeResult.success("listening")
                    : ProbeResult.failure("not listening yet"));

    static ProcessSpec spec(int basePort, int instances, Consumer<ProcessSpec.Builder> more) {
        ProcessSpec.Builder p = ProcessSpec.builder("web").command(Scripts.java(ClusterHttpMain.class))
                .instances(instances).basePort(basePort)
                .readinessProbe(ProbeSettings.builder(LISTENING).period(Duration.ofMillis(50)).build())
                .reloadDrain(Duration.ofMillis(500)).reloadTimeout(Duration.ofSeconds(20));
        more.accept(p);
        return p.build();
    }

    static Supervisor cluster(int basePort, int instances, Consumer<ProcessSpec.Builder> more) {
        return Supervisor.builder().addProcess(spec(basePort, instances, more)).build();
    }

    /** Client threads asking through the proxy until stopped, recording answers and failures. */
    static final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final Set<String> answers = ConcurrentHashMap.newKeySet();
        final AtomicInteger ok = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        void keepAlive(int port) {
            HttpClient client = HttpClients.keepAlive();
            run("keep-alive", () -> HttpClients.get(client, port));
        }

        void fresh(int port) {
            run("fresh", () -> HttpClients.getFresh(port));
        }

        interface Call {
            String call() throws Exception;
        }

        private void run(String name, Call call) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        answers.add(call.call());
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(name + ": " + e);
                    }
                }
            }, "client-" + name);
            t.start();
            threads.add(t);
        }

        /** Whether every process of the group now has answered (body "instance <id> pid <pid>"). */
        boolean heardFromAll(ProcessGroup group) {
            for (InstanceSnapshot i : group.snapshot()) {
                if (i.pid().isEmpty() || !answers.contains("instance " + i.instanceId() + " pid " + i.pid().getAsLong())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    @Test
    void twoRollingReloadsAndScaling3To5To2_loseNoRequest_andEveryInstanceServes() throws Exception {
        try (Supervisor s = cluster(26110, 3, p -> { })) {
            s.start();
            ProcessGroup web = s.group("web");
            try (TcpProxy proxy = TcpProxy.builder().group(web).open(); Load load = new Load()) {
                load.keepAlive(proxy.port());
                load.fresh(proxy.port());
                await().until(() -> load.heardFromAll(web));
                web.reload();
                await().until(() -> load.heardFromAll(web));
                web.reload();
                await().until(() -> load.heardFromAll(web));
                web.scale(5);
                await().until(() -> load.heardFromAll(web));
                web.scale(2);
                int before = load.ok.get();
                await().until(() -> load.ok.get() > before + 50);
                load.close();
                assertThat(load.failures).isEmpty();
                assertThat(load.answers.stream().map(a -> a.split(" ")[1]).distinct().sorted())
                        .containsExactly("0", "1", "2", "3", "4");
                // 3 first, 3 + 3 replacements, 2 more: every process served.
                assertThat(load.answers).hasSize(11);
                assertThat(proxy.stats().unserved()).isZero();
            }
        }
    }

    @Test
    void aKilledInstance_costsAtMostTheRequestsInFlightOnIt() throws Exception {
        try (Supervisor s = cluster(26130, 3, p -> p.restartPolicy(io.tspm.RestartPolicy.builder()
                .initialDelay(Duration.ofMillis(200)).build()))) {
            s.start();
            ProcessGroup web = s.group("web");
            try (TcpProxy proxy = TcpProxy.builder().group(web).open()) {
                int clients = 4;
                AtomicBoolean running = new AtomicBoolean(true);
                List<long[]> failed = new CopyOnWriteArrayList<>(); // start, end
                List<long[]> all = new CopyOnWriteArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    Thread t = new Thread(() -> {
                        while (running.get()) {
                            long start = System.nanoTime();
                            boolean ok = true;
                            try {
                                HttpClients.getFresh(proxy.port());
                            } catch (Exception e) {
                                ok = false;
                            }
                            long[] span = {start, System.nanoTime()};
                            all.add(span);
                            if (!ok) {
                                failed.add(span);
                            }
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                await().until(() -> all.size() > 100);
                long victim = web.instance(1).pid().getAsLong();
                ProcessHandle handle = ProcessHandle.of(victim).orElseThrow();
                java.util.concurrent.CompletableFuture<Long> died = handle.onExit().thenApply(h -> System.nanoTime());
                handle.destroyForcibly(); // SIGKILL
                // Until it is gone its socket still takes connections: the kill lands at its exit.
                long killedAt = died.get();
                await().until(() -> web.instance(1).pid().orElse(victim) != victim && web.endpoints().size() == 3);
                int sizeAfter = all.size();
                await().until(() -> all.size() > sizeAfter + 100);
                running.set(false);
                for (Thread t : threads) {
                    t.join();
                }
                long inFlightAtKill = all.stream().filter(r -> r[0] <= killedAt && r[1] >= killedAt).count();
                assertThat(failed).allSatisfy(r -> assertThat(r[0]).as("a failed request started before the kill")
                        .isLessThanOrEqualTo(killedAt));
                assertThat((long) failed.size()).isLessThanOrEqualTo(inFlightAtKill);
                assertThat(inFlightAtKill).isLessThanOrEqualTo(clients);
            }
        }
    }
}
