package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group publishes who may take traffic, and picks among them through its load balancer. */
class EndpointsTest {

    @TempDir
    Path dir;

    private static Supervisor sleepers(int n) {
        return Supervisor.builder()
                .addProcess("web", p -> p.command("sleep", "60").instances(n).basePort(27500)
                        .readyAfter(Duration.ZERO).label("tier", "web"))
                .build();
    }

    @Test
    void readyInstancesArePublishedAndPickedInTurnWithLeasesCountingInFlightWork() {
        try (Supervisor s = sleepers(3)) {
            List<Endpoints> heard = new CopyOnWriteArrayList<>();
            ProcessGroup web = s.group("web");
            web.addEndpointsListener(heard::add);
            s.start();
            await().until(() -> web.endpoints().size() == 3);
            Endpoints view = web.endpoints();
            assertThat(view.total()).isEqualTo(3);
            assertThat(view.endpoints()).extracting(Endpoint::port).containsExactly(27500, 27501, 27502);
            assertThat(view.get(0).labels()).isEqualTo(Map.of("tier", "web"));
            assertThat(heard).isNotEmpty();
            assertThat(heard).extracting(Endpoints::version).isSorted().doesNotHaveDuplicates();

            List<Integer> picked = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                try (Lease lease = web.pick().orElseThrow()) {
                    picked.add(lease.endpoint().instanceId());
                }
            }
            assertThat(picked.subList(0, 3)).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(picked.subList(3, 6)).isEqualTo(picked.subList(0, 3));

            Lease held = web.pick().orElseThrow();
            assertThat(held.endpoint().inFlight()).isEqualTo(1);
            held.close();
            held.close(); // counted once
            assertThat(held.endpoint().inFlight()).isZero();

            s.stop();
            assertThat(web.endpoints().isEmpty()).isTrue();
            assertThat(web.pick()).isEmpty();
        }
    }

    @Test
    void anInstanceWhoseReadinessFailsLeavesTheViewAndComesBack() throws Exception {
        Path flag = Files.createFile(dir.resolve("ready"));
        Probe ready = Probe.blocking("flag", ctx -> ctx.instanceId() != 1 || Files.exists(flag)
                ? ProbeResult.success("up") : ProbeResult.failure("down"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("web", p -> p.command("sleep", "60").instances(2)
                        .readinessProbe(ProbeSettings.builder(ready).period(Duration.ofMillis(50)).failureThreshold(1)
                                .build()))
                .build()) {
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 2);
            Files.delete(flag);
            await().until(() -> web.endpoints().size() == 1);
            for (int k = 0; k < 5; k++) {
                try (Lease lease = web.pick().orElseThrow()) {
                    assertThat(lease.endpoint().instanceId()).isZero();
                }
            }
            Files.createFile(flag);
            await().until(() -> web.endpoints().size() == 2);
        }
    }

    @Test
    void noPickReturnsAnInstanceAViewAlreadyRemoved() throws Exception {
        try (Supervisor s = sleepers(6)) {
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 6);
            // The version at which each instance left the view.
            Map<Integer, Long> removedAt = new ConcurrentHashMap<>();
            AtomicReference<Set<Integer>> last = new AtomicReference<>(Set.of(0, 1, 2, 3, 4, 5));
            web.addEndpointsListener(v -> {
                Set<Integer> now = ConcurrentHashMap.newKeySet();
                v.endpoints().forEach(e -> now.add(e.instanceId()));
                for (int id : last.get()) {
                    if (!now.contains(id)) {
                        removedAt.putIfAbsent(id, v.version());
                    }
                }
                last.set(now);
            });
            AtomicBoolean running = new AtomicBoolean(true);
            List<String> violations = new CopyOnWriteArrayList<>();
            List<Thread> pickers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread picker = new Thread(() -> {
                    while (running.get()) {
                        long seen = web.endpoints().version();
                        web.pick().ifPresent(lease -> {
                            Long gone = removedAt.get(lease.endpoint().instanceId());
                            if (gone != null && gone <= seen) {
                                violations.add(lease.endpoint() + " picked at view " + seen + ", removed at " + gone);
                            }
                            lease.close();
                        });
                    }
                });
                picker.start();
                pickers.add(picker);
            }
            for (int id = 5; id >= 1; id--) {
                web.instance(id).stop();
            }
            running.set(false);
            for (Thread t : pickers) {
                t.join();
            }
            assertThat(removedAt).hasSize(5);
            assertThat(violations).isEmpty();
            assertThat(web.endpoints().endpoints()).extracting(Endpoint::instanceId).containsExactly(0);
        }
    }
}
