package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** supervisor.apply(specs): only what each change needs, as PM2's startOrReload should have been. */
class ApplyTest {

    private static ProcessSpec.Builder sleeper(String name) {
        return ProcessSpec.builder(name).command("sleep", "60").readyAfter(Duration.ZERO).reloadDrain(Duration.ZERO);
    }

    private static List<ProcessSpec> first() {
        return List.of(sleeper("web").instances(2).build(), sleeper("worker").label("tier", "jobs").build(),
                sleeper("old").build(), sleeper("cmd").args("30").build());
    }

    private static OptionalLong pid(Supervisor s, String name, int id) {
        return s.group(name).instance(id).pid();
    }

    @Test
    void applyAddsRemovesScalesUpdatesAndReloadsOnlyWhatChanged() {
        try (Supervisor s = Supervisor.builder().build()) {
            ApplyPlan initial = s.apply(first());
            assertThat(initial.of(ApplyPlan.Action.ADD)).hasSize(4);
            s.start();
            OptionalLong web0 = pid(s, "web", 0);
            OptionalLong worker = pid(s, "worker", 0);
            OptionalLong cmd = pid(s, "cmd", 0);

            List<ProcessSpec> next = List.of(sleeper("web").instances(3).build(),
                    sleeper("worker").label("tier", "batch").build(), sleeper("cmd").args("40").build(),
                    sleeper("api").dependsOn("web").build());
            ApplyPlan dry = s.plan(next);
            assertThat(s.groups()).extracting(ProcessGroup::name).containsExactly("web", "worker", "old", "cmd");

            ApplyPlan plan = s.apply(next);
            assertThat(plan).isEqualTo(dry);
            assertThat(plan.changes()).extracting(ApplyPlan.Change::process, ApplyPlan.Change::action).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("old", ApplyPlan.Action.REMOVE),
                    org.assertj.core.groups.Tuple.tuple("web", ApplyPlan.Action.SCALE),
                    org.assertj.core.groups.Tuple.tuple("worker", ApplyPlan.Action.UPDATE),
                    org.assertj.core.groups.Tuple.tuple("cmd", ApplyPlan.Action.RELOAD),
                    org.assertj.core.groups.Tuple.tuple("api", ApplyPlan.Action.ADD));
            assertThat(plan.toString()).contains("- old: remove", "~ web: scale, 2 -> 3 instances",
                    "~ worker: update, labels", "~ cmd: reload, args", "+ api: add, 1 instance");

            assertThat(s.groups()).extracting(ProcessGroup::name).containsExactly("web", "worker", "cmd", "api");
            assertThat(pid(s, "web", 0)).as("scaling leaves the running ones alone").isEqualTo(web0);
            assertThat(s.group("web").instances()).hasSize(3);
            assertThat(s.group("web").spec().instances()).isEqualTo(3);
            assertThat(pid(s, "worker", 0)).as("a label change needs no new process").isEqualTo(worker);
            assertThat(s.group("worker").spec().labels()).isEqualTo(Map.of("tier", "batch"));
            assertThat(pid(s, "cmd", 0)).as("new args need a new process").isPresent().isNotEqualTo(cmd);
            assertThat(s.group("cmd").spec().args()).containsExactly("40");
            assertThat(s.group("api").instance(0).state()).isEqualTo(InstanceState.RUNNING);

            ApplyPlan again = s.apply(next);
            assertThat(again.isEmpty()).as("%s", again).isTrue();
            assertThat(again.of(ApplyPlan.Action.UNCHANGED)).hasSize(4);
        }
    }

    @Test
    void aListASupervisorCannotRunIsRefusedAndChangesNothing() {
        try (Supervisor s = Supervisor.builder().build()) {
            s.apply(first());
            assertThatThrownBy(() -> s.apply(List.of(sleeper("a").build(), sleeper("a").build())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("a process named 'a' is in the list twice");
            assertThatThrownBy(() -> s.apply(List.of(sleeper("a").dependsOn("ghost").build())))
                    .hasMessageContaining("depends on 'ghost', which is not declared");
            assertThat(s.groups()).hasSize(4);
        }
    }
}
