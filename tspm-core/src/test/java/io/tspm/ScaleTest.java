package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.Scaled;
import io.tspm.testsupport.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScaleTest {

    private final EventRecorder events = new EventRecorder();

    @Test
    void scalesOneFiveTwoZeroThreeWithDenseIdsAndPortsThatFollowThem() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("web", p -> p.shell("echo \"id=$TSPM_INSTANCE_ID port=$PORT\"; sleep 60").basePort(23100)
                        .reloadPortSpan(10))
                .build()) {
            s.start();
            ProcessGroup web = s.group("web");
            List<Long> gone = new ArrayList<>();
            for (int n : new int[] {5, 2, 0, 3}) {
                List<InstanceSnapshot> before = web.snapshot();
                web.scale(n);
                List<InstanceSnapshot> after = web.snapshot();
                assertThat(after).extracting(InstanceSnapshot::instanceId)
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).boxed().collect(Collectors.toList()));
                assertThat(after).allMatch(i -> i.state() == InstanceState.RUNNING);
                for (InstanceSnapshot i : after) {
                    ProcessInstance inst = web.instance(i.instanceId());
                    await().until(() -> inst.recentOutput(1).equals(
                            List.of("id=" + i.instanceId() + " port=" + (23100 + i.instanceId()))));
                }
                // Kept instances kept their process; the highest ids went.
                for (InstanceSnapshot b : before) {
                    if (b.instanceId() < n) {
                        assertThat(after.get(b.instanceId()).pid()).isEqualTo(b.pid());
                    } else {
                        gone.add(b.pid().getAsLong());
                    }
                }
                assertThat(gone).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
            }
            assertThat(s.list()).hasSize(3);
        }
        assertThat(events.of(Scaled.class)).extracting(e -> e.from() + "->" + e.to())
                .containsExactly("1->5", "5->2", "2->0", "0->3");
    }

    @Test
    void downThenStraightUpNeverRunsTheSameIdTwiceAndAStoppedGroupStaysStopped() {
        EventRecorder heard = new EventRecorder();
        java.util.List<io.tspm.OutputLine> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Supervisor s = Supervisor.builder().addListener(heard)
                .addProcess("slow", p -> p.shell("trap '' TERM; echo \"up $TSPM_INSTANCE_ID\"; while true; do sleep 0.05; done")
                        .instances(2).readyAfter(java.time.Duration.ZERO).stopTimeout(java.time.Duration.ofMillis(700)))
                .build()) {
            s.start();
            ProcessGroup g = s.group("slow");
            g.addLineListener(lines::add);
            long old = g.instance(1).pid().getAsLong();
            var down = g.scaleAsync(1);  // id 1 takes its stop timeout to die
            g.scale(2);                  // id 1 again, but only after the old one is gone
            assertThat(down).isDone();
            assertThat(ProcessHandle.of(old).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(g.instance(1).pid().getAsLong()).isNotEqualTo(old);
            // The group's line listener hears the new instance too.
            await().until(() -> lines.stream().anyMatch(l -> l.instanceId() == 1 && l.pid() == g.instance(1).pid().getAsLong()));
            g.stop();
            g.scale(3);
            assertThat(g.snapshot()).allMatch(i -> i.state() == InstanceState.STOPPED);
        }
    }

    @Test
    void aScaledAwayHandleRefusesToStartAndBadCountsAreRejected() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("w", p -> p.command("sleep", "60").instances(2).basePort(65534).reloadPortSpan(5)).build()) {
            s.start();
            ProcessInstance last = s.group("w").instance(1);
            s.group("w").scale(1);
            assertThatThrownBy(last::start).hasMessageContaining("it was scaled away");
            assertThatThrownBy(() -> s.group("w").scale(-1)).hasMessage("instances must be in 0..10000, but was -1");
            assertThatThrownBy(() -> s.group("w").scale(3))
                    .hasMessage("process 'w': basePort 65534 + instances 3 runs past port 65535");
            assertThat(s.list()).hasSize(1);
        }
    }

    /** Each instance's port, as the snapshot and the child itself (its $PORT) say. */
    private static List<Integer> ports(ProcessGroup g) {
        List<Integer> ports = new ArrayList<>();
        for (ProcessInstance i : g.instances()) {
            int port = i.port().getAsInt();
            await().until(() -> i.recentOutput(5).contains("port=" + port));
            ports.add(port);
        }
        return ports;
    }

    @Test
    void scalingPastTheReloadSpanRaisesItAndNoTwoInstancesShareAPort() {
        int base = 27310;
        try (Supervisor s = Supervisor.builder()
                .addProcess("web", p -> p.shell("echo port=$PORT; exec sleep 60").instances(2).basePort(base)
                        .readyAfter(Duration.ZERO).reloadDrain(Duration.ZERO))
                .build()) {
            s.start();
            ProcessGroup web = s.group("web");
            web.reload(); // both now on their second port: base+2, base+3
            assertThat(ports(web)).containsExactly(base + 2, base + 3);
            web.scale(4); // base+2 and base+3 are taken: the new ones get their second port under the raised span
            assertThat(web.spec().instances()).isEqualTo(4);
            assertThat(web.spec().reloadPortSpan()).isEqualTo(4);
            assertThat(ports(web)).containsExactly(base + 2, base + 3, base + 6, base + 7);
            web.reload();
            assertThat(ports(web)).doesNotHaveDuplicates().containsExactly(base, base + 1, base + 2, base + 3);
            web.scale(1);
            assertThat(web.spec().instances()).isEqualTo(1);
        }
    }
}
