package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessStarting;
import io.tspm.event.SupervisorEvent;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import io.tspm.testsupport.EventRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-shot tasks (a migration before the service) and what dependencies wait for. */
class OneShotTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    private static int indexOf(List<SupervisorEvent> all, Class<?> type, String process) {
        for (int i = 0; i < all.size(); i++) {
            if (type.isInstance(all.get(i)) && all.get(i).process().equals(process)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aServiceStartsAfterItsMigrationCompletedAndTheMigrationIsNotRunAgain() {
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("migrate", p -> p.shell("echo migrating; sleep 0.2; echo migrated").oneShot(true))
                .addProcess("api", p -> p.command("sleep", "60").readyAfter(Duration.ZERO)
                        .addDependency("migrate", DependencyCondition.COMPLETED))
                .build()) {
            s.start();
            ProcessInstance migrate = s.group("migrate").instance(0);
            assertThat(migrate.state()).isEqualTo(InstanceState.EXITED);
            assertThat(migrate.snapshot().lastExit()).hasValue(new ExitStatus(0));
            assertThat(migrate.recentOutput(5)).containsExactly("migrating", "migrated");
            assertThat(migrate.exitHistory()).singleElement().satisfies(r -> {
                assertThat(r.decision()).isEqualTo(RestartDecision.STAY_EXITED);
                assertThat(r.isCrash()).isFalse();
            });
            assertThat(s.group("api").instance(0).state()).isEqualTo(InstanceState.RUNNING);
            await().until(() -> indexOf(events.all(), ProcessStarting.class, "api") >= 0);
            assertThat(indexOf(events.all(), ProcessExited.class, "migrate"))
                    .isLessThan(indexOf(events.all(), ProcessStarting.class, "api"));

            s.group("migrate").start(); // done already: a group start does not run it again
            assertThat(migrate.exitHistory()).hasSize(1);
            migrate.restart(); // an explicit restart does
            assertThat(migrate.exitHistory()).hasSize(2);
            assertThat(migrate.state()).isEqualTo(InstanceState.EXITED);
        }
    }

    @Test
    void aFailedMigrationFailsTheStartWithItsExitAndOutputAndTheServiceNeverStarts() {
        try (Supervisor s = Supervisor.builder()
                .addProcess("migrate", p -> p.shell("echo 'cannot connect to db' >&2; exit 3").oneShot(true))
                .addProcess("api", p -> p.command("sleep", "60").addDependency("migrate", DependencyCondition.COMPLETED))
                .build()) {
            assertThatThrownBy(s::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("process 'migrate' instance 0 failed to start: the one-shot task failed:"
                            + " exit code 3")
                    .hasMessageContaining("cannot connect to db");
            assertThat(s.group("api").instance(0).state()).isEqualTo(InstanceState.STOPPED);
            assertThat(s.group("migrate").instance(0).state()).isEqualTo(InstanceState.EXITED);
        }
    }

    @Test
    void aOneShotMayRetryAFailureUnderItsRestartPolicy() {
        Path marker = dir.resolve("tried");
        try (Supervisor s = Supervisor.builder()
                .addProcess("flaky", p -> p.shell("if [ -e '" + marker + "' ]; then echo ok; exit 0; fi; touch '"
                        + marker + "'; exit 1").oneShot(true)
                        .restartPolicy(RestartPolicy.builder().mode(RestartMode.ON_FAILURE)
                                .fixedDelay(Duration.ofMillis(20)).build()))
                .build()) {
            s.start();
            ProcessInstance i = s.group("flaky").instance(0);
            assertThat(i.exitHistory()).extracting(ExitRecord::decision)
                    .containsExactly(RestartDecision.RESTART, RestartDecision.STAY_EXITED);
            assertThat(i.state()).isEqualTo(InstanceState.EXITED);
        }
    }

    @Test
    void aProcessCanWaitOnlyForItsDependencyToBeSpawned() {
        Probe never = Probe.blocking("never", ctx -> ProbeResult.failure("not yet"));
        try (Supervisor s = Supervisor.builder().startTimeout(Duration.ofSeconds(20))
                .addProcess("db", p -> p.command("sleep", "60")
                        .readinessProbe(ProbeSettings.builder(never).period(Duration.ofMillis(50)).build()))
                .addProcess("web", p -> p.command("sleep", "60").readyAfter(Duration.ZERO)
                        .addDependency("db", DependencyCondition.STARTED))
                .build()) {
            s.startAsync();
            ProcessInstance web = s.group("web").instance(0);
            await().until(() -> web.state() == InstanceState.RUNNING);
            assertThat(s.group("db").instance(0).snapshot().ready()).isFalse();
        }
    }

    @Test
    void waitingForAProcessThatNeverCompletesIsRefused() {
        assertThatThrownBy(() -> Supervisor.builder()
                .addProcess("db", p -> p.command("sleep", "60"))
                .addProcess("api", p -> p.command("sleep", "60").addDependency("db", DependencyCondition.COMPLETED))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'api' waits for 'db' to complete, but 'db' is not a one-shot task (oneShot(true))"
                        + " and never completes: wait for it to be READY or STARTED instead");
    }
}
