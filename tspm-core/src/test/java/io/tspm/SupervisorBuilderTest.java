package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisorBuilderTest {

    @Test
    void badSettingsAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> Supervisor.builder().name("bad name")).hasMessageContaining("'bad name'");
        assertThatThrownBy(() -> Supervisor.builder().startTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("startTimeout must be positive, but was 0 ms");
        assertThatThrownBy(() -> Supervisor.builder().addListener(null)).isInstanceOf(NullPointerException.class).hasMessage("listener");
        assertThatThrownBy(() -> Supervisor.builder().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
        assertThatThrownBy(() -> Supervisor.builder().ticker(null)).isInstanceOf(NullPointerException.class).hasMessage("ticker");
        assertThatThrownBy(() -> Supervisor.builder().scheduler(null)).isInstanceOf(NullPointerException.class).hasMessage("scheduler");
        assertThatThrownBy(() -> Supervisor.builder().addProcess((ProcessSpec) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Supervisor.builder()
                .addProcess("a", p -> p.command("x")).addProcess("a", p -> p.command("y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a process named 'a' was already added");
    }

    @Test
    void unknownDependencyAndCyclesAreRejectedAtBuild() {
        assertThatThrownBy(() -> Supervisor.builder().addProcess("web", p -> p.command("x").dependsOn("db")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'web' depends on 'db', which is not declared; declared: [web]");
        assertThatThrownBy(() -> Supervisor.builder()
                .addProcess("a", p -> p.command("x").dependsOn("b"))
                .addProcess("b", p -> p.command("x").dependsOn("c"))
                .addProcess("c", p -> p.command("x").dependsOn("a"))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dependsOn has a cycle: a -> b -> c -> a");
    }

    @Test
    void addingAtRunTimeChecksNamesAndDependencies() {
        try (Supervisor s = Supervisor.builder().addProcess("a", p -> p.command("true").autostart(false)).build()) {
            assertThatThrownBy(() -> s.add(ProcessSpec.builder("a").command("x").build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("a process named 'a' already exists");
            assertThatThrownBy(() -> s.add(ProcessSpec.builder("b").command("x").dependsOn("zzz").build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("depends on 'zzz'");
            assertThat(s.groups()).hasSize(1);
        }
    }

    @Test
    void fixedPortRangesOfTwoProcessesMustNotOverlap_atBuild_add_andApply() {
        assertThatThrownBy(() -> Supervisor.builder()
                .addProcess("c", p -> p.command("x").basePort(8000).instances(2))
                .addProcess("far", p -> p.command("x").basePort(9000))
                .addProcess("e", p -> p.command("x").basePort(8001))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("process 'e' has ports 8001, which overlap those of 'c' (8000..8001): give one a basePort"
                        + " past the other's last port, or freePorts()");
        try (Supervisor s = Supervisor.builder().addProcess("c", p -> p.command("x").basePort(8000).instances(3)
                .autostart(false)).addProcess("free", p -> p.command("x").freePorts().instances(3).autostart(false))
                .build()) {
            assertThatThrownBy(() -> s.add(ProcessSpec.builder("d").command("x").basePort(7999).instances(2).build()))
                    .hasMessageStartingWith("process 'c' has ports 8000..8002, which overlap those of 'd' (7999..8000)");
            s.add(ProcessSpec.builder("d").command("x").basePort(8003).autostart(false).build()); // just past
            assertThatThrownBy(() -> s.apply(List.of(s.group("c").spec(), s.group("free").spec(),
                    ProcessSpec.builder("d").command("x").basePort(8002).build())))
                    .hasMessageStartingWith("process 'd' has ports 8002, which overlap those of 'c' (8000..8002)");
            assertThat(s.groups()).extracting(ProcessGroup::name).containsExactly("c", "free", "d");
        }
    }

    @Test
    void aScaleUpMayNotGrowIntoAnotherProcesssFixedPorts() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("web", p -> p.command("x").basePort(8000).instances(2).autostart(false))
                .addProcess("api", p -> p.command("x").basePort(8003).autostart(false))
                .build()) {
            s.group("web").scale(3); // 8000..8002: just below api's
            assertThatThrownBy(() -> s.group("web").scale(4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot scale process 'web' to 4 instances: process 'api' has ports 8003, which overlap"
                            + " those of 'web' (8000..8003): give one a basePort past the other's last port, or freePorts()");
            assertThat(s.group("web").spec().instances()).isEqualTo(3);
            assertThat(s.group("web").instances()).hasSize(3);
            s.group("web").scale(1); // down is always allowed
            assertThat(s.group("web").instances()).hasSize(1);
        }
    }

    @Test
    void theEngineCannotBeBuiltAroundTheApiOnTheClassPath() {
        assertThatThrownBy(() -> new io.tspm.internal.SupervisorCore(null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("io.tspm.internal is not an API; build a supervisor with Supervisor.builder()");
    }
}
