package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsAndResetTest {

    private static Supervisor tiers() {
        return Supervisor.builder()
                .addProcess("web", p -> p.command("sleep", "60").label("tier", "web").autostart(false)
                        .readyAfter(Duration.ZERO))
                .addProcess("api", p -> p.command("sleep", "60").label("tier", "web").label("team", "a")
                        .autostart(false).readyAfter(Duration.ZERO).namespace("backend"))
                .addProcess("jobs", p -> p.command("sleep", "60").label("tier", "worker").autostart(false)
                        .readyAfter(Duration.ZERO).namespace("backend"))
                .build();
    }

    private static List<String> running(Supervisor s) {
        return s.snapshot().groups().stream().filter(g -> g.readyCount() == g.instances().size() && g.readyCount() > 0)
                .map(GroupSnapshot::name).toList();
    }

    @Test
    void aSelectorPicksGroupsToStartStopRestartAndList() {
        try (Supervisor s = tiers()) {
            assertThat(s.groups(LabelSelector.parse("tier in (web,worker)"))).hasSize(3);
            assertThat(s.groups(LabelSelector.parse("tier=web,team=a"))).extracting(ProcessGroup::name)
                    .containsExactly("api");
            s.start(LabelSelector.parse("tier=web"));
            assertThat(running(s)).containsExactly("web", "api");
            long apiPid = s.group("api").instance(0).pid().getAsLong();
            s.restart(LabelSelector.parse("team=a"));
            assertThat(s.group("api").instance(0).pid()).isPresent().isNotEqualTo(java.util.OptionalLong.of(apiPid));
            s.stop(LabelSelector.parse("!team"));
            assertThat(running(s)).containsExactly("api");
            assertThat(s.snapshot().groups(LabelSelector.parse("tier=web"))).extracting(GroupSnapshot::labels)
                    .containsExactly(Map.of("tier", "web"), Map.of("tier", "web", "team", "a"));
        }
    }

    @Test
    void namespacesListTheirGroups() {
        try (Supervisor s = tiers()) {
            assertThat(s.namespaces()).containsExactly(Map.entry("default", List.of("web")),
                    Map.entry("backend", List.of("api", "jobs")));
        }
    }

    @Test
    void resetForgetsRestartsWindowAndBackoffButKeepsTheHistoryUnlessAsked() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("s", p -> p.command("sleep", "60").readyAfter(Duration.ZERO)
                        .restartPolicy(RestartPolicy.builder().initialDelay(Duration.ofMillis(10)).multiplier(2)
                                .maxRestarts(3, Duration.ofMinutes(1)).build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("s").instance(0);
            for (int crash = 1; crash <= 2; crash++) {
                long pid = i.pid().getAsLong();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // a crash from outside
                await().until(() -> i.state() == InstanceState.RUNNING && i.pid().getAsLong() != pid);
            }
            InstanceSnapshot before = i.snapshot();
            assertThat(before.restarts()).isEqualTo(2);
            assertThat(before.crashStats().restartsInWindow()).isEqualTo(2);
            assertThat(before.crashStats().currentBackoff()).isPositive();

            s.reset("s");
            InstanceSnapshot after = i.snapshot();
            assertThat(after.restarts()).isZero();
            assertThat(after.crashStats().restartsInWindow()).isZero();
            assertThat(after.crashStats().currentBackoff()).isZero();
            assertThat(i.exitHistory()).hasSize(2);
            assertThat(after.crashStats().crashes()).isEqualTo(2);

            s.reset("s", true);
            assertThat(i.exitHistory()).isEmpty();
            assertThat(i.snapshot().crashStats().crashes()).isZero();
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
        }
    }
}
