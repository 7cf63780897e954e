package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.ProcessAdded;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessRemoved;
import io.tspm.testsupport.EventRecorder;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DependenciesAndNamespacesTest {

    private final EventRecorder events = new EventRecorder();

    private List<String> readyOrder() {
        return events.of(ProcessReady.class).stream().map(ProcessReady::process).collect(Collectors.toList());
    }

    @Test
    void processesStartAfterTheirDependenciesAreRunning() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("web", p -> p.command("sleep", "60").dependsOn("api", "cache"))
                .addProcess("api", p -> p.command("sleep", "60").dependsOn("db"))
                .addProcess("db", p -> p.command("sleep", "60"))
                .addProcess("cache", p -> p.command("sleep", "60"))
                .build()) {
            s.start();
        }
        List<String> order = readyOrder();
        assertThat(order).hasSize(4);
        assertThat(order.indexOf("db")).isLessThan(order.indexOf("api"));
        assertThat(order.indexOf("api")).isLessThan(order.indexOf("web"));
        assertThat(order.indexOf("cache")).isLessThan(order.indexOf("web"));
    }

    @Test
    void aDependencyThatCannotStartKeepsItsDependentsStopped() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("db", p -> p.command("no-such-db-binary"))
                .addProcess("api", p -> p.command("sleep", "60").dependsOn("db"))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'db'");
            assertThat(s.describe("api").get(0).state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    @Test
    void processesAddedToARunningSupervisorStartAndCanBeRemoved() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("db", p -> p.command("sleep", "60").autostart(false))
                .build()) {
            s.start();
            ProcessGroup api = s.add(ProcessSpec.builder("api").command("sleep", "60").dependsOn("db").build());
            assertThat(api.snapshot()).allMatch(i -> i.state() == InstanceState.RUNNING);
            assertThat(s.describe("db").get(0).state()).as("dependency started first").isEqualTo(InstanceState.RUNNING);

            assertThatThrownBy(() -> s.remove("db")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("process 'db' cannot be removed: [api] depend on it");
            long pid = api.instance(0).pid().getAsLong();
            s.remove("api");
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(s.groups()).extracting(ProcessGroup::name).containsExactly("db");
            assertThatThrownBy(() -> s.group("api")).isInstanceOf(NoSuchProcessException.class);
        }
        assertThat(events.of(ProcessAdded.class)).extracting(ProcessAdded::process).containsExactly("api");
        assertThat(events.of(ProcessRemoved.class)).extracting(ProcessRemoved::process).containsExactly("api");
    }

    @Test
    void namespaceOperationsTouchOnlyThatNamespace() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("a1", p -> p.command("sleep", "60").namespace("alpha").autostart(false))
                .addProcess("a2", p -> p.command("sleep", "60").namespace("alpha").autostart(false))
                .addProcess("b1", p -> p.command("sleep", "60").namespace("beta").autostart(false))
                .build()) {
            s.start();
            s.startNamespace("alpha");
            assertThat(state(s, "a1")).isEqualTo(InstanceState.RUNNING);
            assertThat(state(s, "a2")).isEqualTo(InstanceState.RUNNING);
            assertThat(state(s, "b1")).isEqualTo(InstanceState.STOPPED);

            long a1 = s.describe("a1").get(0).pid().getAsLong();
            s.restartNamespace("alpha");
            assertThat(s.describe("a1").get(0).pid().getAsLong()).isNotEqualTo(a1);

            s.startNamespace("beta");
            s.stopNamespace("alpha");
            assertThat(state(s, "a1")).isEqualTo(InstanceState.STOPPED);
            assertThat(state(s, "b1")).isEqualTo(InstanceState.RUNNING);

            long b1 = s.describe("b1").get(0).pid().getAsLong();
            s.restartAll();
            assertThat(s.list()).allMatch(i -> i.state() == InstanceState.RUNNING);
            assertThat(s.describe("b1").get(0).pid().getAsLong()).isNotEqualTo(b1);
        }
    }

    private static InstanceState state(Supervisor s, String name) {
        return s.describe(name).get(0).state();
    }
}
