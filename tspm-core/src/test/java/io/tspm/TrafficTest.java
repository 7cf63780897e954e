package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.InstanceEjected;
import io.tspm.event.InstanceReplaced;
import io.tspm.event.InstanceReturned;
import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.Picker;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testing.ManualScheduler;
import io.tspm.testsupport.SocketProxyFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a spec says about traffic (strategy, weights, panic, proxy), ejection, and drains that follow leases. */
class TrafficTest {

    @TempDir
    Path dir;

    /** Always the last endpoint of the view: shows that the spec's strategy is the one used. */
    record LastOne() implements LoadBalancer {
        @Override
        public Picker picker(Endpoints view) {
            return c -> view.isEmpty() ? null : view.get(view.size() - 1);
        }

        @Override
        public String name() {
            return "last-one";
        }
    }

    private static ProcessSpec.Builder sleepers(String name, int n) {
        return ProcessSpec.builder(name).command("sleep", "60").instances(n).readyAfter(Duration.ZERO);
    }

    @Test
    void theSpecsStrategyAndWeightsAreUsedAndAnApplyChangesThemWithoutANewProcess() {
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(sleepers("web", 3).loadBalancer(new LastOne()).weights(5, 2).build());
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 3);
            assertThat(web.endpoints().endpoints()).extracting(Endpoint::weight).containsExactly(5, 2, 1);
            try (Lease lease = web.pick().orElseThrow()) {
                assertThat(lease.endpoint().instanceId()).isEqualTo(2);
            }
            OptionalLong pid = web.instance(0).pid();
            long version = web.endpoints().version();

            ApplyPlan plan = s.apply(List.of(sleepers("web", 3).weights(1, 1, 7).build()));
            assertThat(plan.changes()).singleElement().hasToString("~ web: update, traffic");
            assertThat(web.endpoints().version()).isGreaterThan(version);
            assertThat(web.endpoints().endpoints()).extracting(Endpoint::weight).containsExactly(1, 1, 7);
            assertThat(web.instance(0).pid()).isEqualTo(pid);
            List<Integer> picked = new java.util.ArrayList<>();
            for (int k = 0; k < 3; k++) {
                try (Lease lease = web.pick().orElseThrow()) {
                    picked.add(lease.endpoint().instanceId());
                }
            }
            assertThat(picked).as("back to round-robin").containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    @Test
    void badTrafficSettingsNameTheFieldAndTheValue() {
        assertThatThrownBy(() -> sleepers("web", 2).weights(3, 0))
                .hasMessage("weights[1] (the weight of instance 1) must be at least 1, but was 0");
        assertThatThrownBy(() -> sleepers("web", 2).panicThreshold(1.5))
                .hasMessage("panicThreshold must be in 0..1 (a share of the instances), but was 1.5");
        assertThatThrownBy(() -> sleepers("web", 2).proxyPort(70000))
                .hasMessage("proxyPort must be in 1..65535, but was 70000");
        assertThatThrownBy(() -> sleepers("web", 2).basePort(27600).proxyPort(27602).build())
                .hasMessage("process 'web': proxyPort 27602 is one of its instances' ports (27600..27603)");
    }

    @Test
    void belowThePanicThresholdEveryLiveInstanceIsPicked() throws Exception {
        Path flag = dir.resolve("ready");
        Probe onlyZero = Probe.blocking("flag", ctx -> ctx.instanceId() == 0 || Files.exists(flag)
                ? ProbeResult.success("up") : ProbeResult.failure("down"));
        ProbeSettings probe = ProbeSettings.builder(onlyZero).period(Duration.ofMillis(50)).failureThreshold(1).build();
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(sleepers("calm", 2).readinessProbe(probe).build());
            s.add(sleepers("panicky", 2).readinessProbe(probe).panicThreshold(0.75).build());
            s.group("calm").startAsync();
            s.group("panicky").startAsync();
            await().until(() -> s.group("calm").endpoints().size() == 1);
            assertThat(s.group("calm").endpoints().get(0).instanceId()).isZero();
            await().until(() -> s.group("panicky").endpoints().size() == 2);
            assertThat(s.group("panicky").instance(1).snapshot().ready()).isFalse();
        }
    }

    @Test
    void anEjectedInstanceTakesNoTrafficUntilItsTimeIsUpOnTheSupervisorsClock() {
        ManualScheduler time = new ManualScheduler();
        EventRecorder events = new EventRecorder();
        Supervisor s = Supervisor.builder().scheduler(time).ticker(time).addListener(events)
                .addProcess(sleepers("web", 2).stopTimeout(Duration.ofSeconds(1)).build()).build();
        try {
            ProcessGroup web = s.group("web");
            CompletableFuture<Void> started = web.startAsync();
            await().until(() -> {
                time.advance(Duration.ofMillis(50));
                return started.isDone();
            });
            await().until(() -> web.endpoints().size() == 2);
            web.instance(0).eject(Duration.ofSeconds(30), "3 connects refused in a row");
            assertThat(web.instance(0).isEjected()).isTrue();
            assertThat(web.endpoints().endpoints()).extracting(Endpoint::instanceId).containsExactly(1);
            await().until(() -> events.of(InstanceEjected.class).size() == 1);
            assertThat(events.of(InstanceEjected.class)).singleElement().satisfies(e -> {
                assertThat(e.duration()).isEqualTo(Duration.ofSeconds(30));
                assertThat(e.ejections()).isEqualTo(1);
                assertThat(e.reason()).isEqualTo("3 connects refused in a row");
            });
            time.advance(Duration.ofSeconds(29));
            assertThat(web.instance(0).isEjected()).as("not a moment before its time").isTrue();
            time.advance(Duration.ofSeconds(1));
            assertThat(web.instance(0).isEjected()).isFalse();
            await().until(() -> events.of(InstanceReturned.class).size() == 1);
            assertThat(web.endpoints().endpoints()).extracting(Endpoint::instanceId).containsExactly(0, 1);
            assertThat(web.instance(0).snapshot().traffic().ejections()).isEqualTo(1);

            web.instance(1).eject(Duration.ofMinutes(5), "refused");
            CompletableFuture<Void> restarted = web.instance(1).restartAsync();
            await().until(() -> {
                time.advance(Duration.ofMillis(50));
                return restarted.isDone();
            });
            assertThat(web.instance(1).isEjected()).as("a new process is judged afresh").isFalse();
        } finally {
            time.advanceDuring(s::close, Duration.ofMillis(50));
        }
    }

    @Test
    void leasesCountWhatAnInstanceServed() {
        try (Supervisor s = Supervisor.builder().addProcess(sleepers("web", 1).build()).build()) {
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 1);
            try (Lease lease = web.pick().orElseThrow()) {
                lease.bytes(100, 2048);
                lease.bytes(10, 0);
                assertThat(web.instance(0).snapshot().traffic().open()).isEqualTo(1);
            }
            try (Lease failed = web.pick().orElseThrow()) {
                failed.connectFailed();
            }
            TrafficStats t = web.instance(0).snapshot().traffic();
            assertThat(t).isEqualTo(new TrafficStats(0, 1, 110, 2048, 1, 0));
        }
    }

    @Test
    void aReloadDrainEndsWithTheOldInstancesLastLeaseNotAfterTheDrainTime() {
        EventRecorder events = new EventRecorder();
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess(sleepers("web", 1).reloadDrain(Duration.ofMinutes(5)).build()).build()) {
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 1);
            long oldPid = web.instance(0).pid().orElseThrow();
            Lease held = web.pick().orElseThrow();

            CompletableFuture<Void> reload = web.reloadAsync();
            await().until(() -> events.of(InstanceReplaced.class).size() == 1);
            assertThat(reload).as("the old instance still serves its open connection").isNotDone();
            assertThat(ProcessHandle.of(oldPid)).isPresent();
            assertThat(web.endpoints().endpoints()).singleElement()
                    .satisfies(e -> assertThat(e.instanceId()).isZero());
            try (Lease fresh = web.pick().orElseThrow()) {
                assertThat(web.instance(0).pid().orElseThrow()).isNotEqualTo(oldPid);
            }
            held.close();
            await().until(reload::isDone);
            assertThat(reload).isCompleted();

            // Nothing open at all: the next reload does not wait out its five minutes either.
            web.reload(Duration.ofSeconds(30));
        }
    }

    @Test
    void aScaleDownLetsTheInstancesItRemovesFinishTheirLeases() {
        try (Supervisor s = Supervisor.builder()
                .addProcess(sleepers("web", 2).reloadDrain(Duration.ofMinutes(5)).build()).build()) {
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 2);
            Lease onOne = null;
            while (onOne == null) {
                Lease l = web.pick().orElseThrow();
                if (l.endpoint().instanceId() == 1) {
                    onOne = l;
                } else {
                    l.close();
                }
            }
            long pid = s.group("web").instance(1).pid().orElseThrow();
            CompletableFuture<Void> scaled = web.scaleAsync(1);
            assertThat(web.endpoints().endpoints()).extracting(Endpoint::instanceId).containsExactly(0);
            assertThat(scaled).isNotDone();
            assertThat(ProcessHandle.of(pid)).isPresent();
            onOne.close();
            await().until(scaled::isDone);
            await().until(() -> ProcessHandle.of(pid).isEmpty());
        }
    }

    @Test
    void aGroupStopWaitsForOpenLeasesAndAStartTakesWorkAgain() {
        try (Supervisor s = Supervisor.builder()
                .addProcess(sleepers("web", 1).reloadDrain(Duration.ofMinutes(5)).build()).build()) {
            s.start();
            ProcessGroup web = s.group("web");
            await().until(() -> web.endpoints().size() == 1);
            long pid = web.instance(0).pid().orElseThrow();
            Lease held = web.pick().orElseThrow();
            CompletableFuture<Void> stopped = web.stopAsync();
            await().until(() -> web.endpoints().isEmpty());
            assertThat(stopped).as("its open lease runs on").isNotDone();
            assertThat(ProcessHandle.of(pid)).isPresent();
            held.close();
            await().until(stopped::isDone);
            web.start();
            await().until(() -> web.endpoints().size() == 1); // the drained instance takes work again
            assertThat(web.pick()).isPresent();
        }
    }

    @Test
    void aSpecsProxyOpensWithItsProcessAndClosesWithIt() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (Supervisor s = Supervisor.builder().build()) {
            s.add(sleepers("web", 1).proxyPort(port).build());
            assertThat(SocketProxyFactory.OPEN).containsEntry(port, "web");
            assertThatThrownBy(() -> s.add(sleepers("api", 1).proxyPort(port).build()))
                    .hasMessageStartingWith("process 'api': cannot open its proxy on port " + port + ": port " + port
                            + " is in use");
            assertThat(s.groups()).extracting(ProcessGroup::name).containsExactly("web");
            s.remove("web");
            assertThat(SocketProxyFactory.OPEN).doesNotContainKey(port);
            s.add(sleepers("api", 1).proxyPort(port).build());
            assertThat(SocketProxyFactory.OPEN).containsEntry(port, "api");
        }
        assertThat(SocketProxyFactory.OPEN).as("closed with the supervisor").doesNotContainKey(port);

        try (Supervisor s = Supervisor.builder().addProcess(sleepers("web", 1).proxyPort(port).build()).build()) {
            assertThat(SocketProxyFactory.OPEN).as("a spec given to the builder").containsEntry(port, "web");
        }
        assertThat(SocketProxyFactory.OPEN).doesNotContainKey(port);
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Supervisor.builder().addProcess(sleepers("web", 1).proxyPort(port).build()).build())
                    .hasMessageContaining("cannot open its proxy on port " + port);
        }
    }
}
