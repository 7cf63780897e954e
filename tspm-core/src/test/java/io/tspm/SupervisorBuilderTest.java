package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
    void theEngineCannotBeBuiltAroundTheApiOnTheClassPath() {
        assertThatThrownBy(() -> new io.tspm.internal.SupervisorCore(null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("io.tspm.internal is not an API; build a supervisor with Supervisor.builder()");
    }
}
