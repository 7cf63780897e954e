package io.tspm.junit;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.InstanceState;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.ProcessStartException;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import io.tspm.testing.NoLeakedProcessesExtension;
import io.tspm.testsupport.Fixture;
import io.tspm.testsupport.JupiterRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult.Status;

class TspmExtensionTest {

    /** Pids the fixtures saw, in the order they saw them. */
    static final List<Long> SEEN = new CopyOnWriteArrayList<>();

    static ProcessSpec sleeper(String name) {
        return ProcessSpec.builder(name).shell("echo \"hello from " + name + " on $PORT\"; exec sleep 60").freePorts()
                .build();
    }

    static long pid(ProcessInstance i) {
        return i.pid().orElseThrow(() -> new AssertionError(i.processName() + " is not running"));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent();
    }

    @Fixture
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class StaticField {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("web")).build();

        @Test
        void first(@Helper("web") ProcessInstance web) {
            SEEN.add(pid(web));
        }

        @Test
        void second(ProcessInstance web) { // the only helper: no annotation needed
            SEEN.add(pid(web));
        }

        @Nested
        class Inner {
            @Test
            void seesTheEnclosingHelpers(@Helper("web") ProcessInstance web) {
                SEEN.add(pid(web));
            }
        }
    }

    @Test
    void aStaticFieldStartsTheHelpersOnceForTheClassAndItsNestedClassesAndStopsThemAfter() {
        SEEN.clear();
        JupiterRun.Result run = JupiterRun.run(StaticField.class);

        assertThat(run.failures()).isEmpty();
        assertThat(run.tests(Status.SUCCESSFUL)).hasSize(3);
        assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
        assertThat(alive(SEEN.get(0))).isFalse();
    }

    @Fixture
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class InstanceField {
        @RegisterExtension
        final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("web")).build();

        @Test
        void first(@Helper("web") ProcessInstance web) {
            SEEN.add(pid(web));
        }

        @Test
        void second(@Helper("web") ProcessInstance web) {
            SEEN.add(pid(web));
        }
    }

    @Test
    void anInstanceFieldStartsTheHelpersForEachTestAndStopsThemAfterIt() {
        SEEN.clear();
        JupiterRun.Result run = JupiterRun.run(InstanceField.class);

        assertThat(run.failures()).isEmpty();
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        assertThat(SEEN).noneMatch(TspmExtensionTest::alive);
    }

    @Fixture
    static class Parameters {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("web").toBuilder().instances(2)
                .build()).addProcess(sleeper("db")).build();

        static final List<String> RESOLVED = new CopyOnWriteArrayList<>();
        private final Supervisor fromConstructor;

        Parameters(Supervisor supervisor) {
            this.fromConstructor = supervisor;
        }

        @Test
        void resolves(Supervisor supervisor, @Helper("web") ProcessGroup web,
                @Helper(value = "web", instance = 1) ProcessInstance web1, @Helper(value = "web", instance = 1) int port,
                @Helper("db") Supervisor dbs, @Helper("db") int dbPort) {
            assertThat(fromConstructor).isSameAs(supervisor).isSameAs(dbs);
            assertThat(web.instances()).hasSize(2);
            assertThat(web1.id()).isEqualTo(1);
            assertThat(port).isEqualTo(web1.port().getAsInt()).isNotEqualTo(dbPort);
            await().until(() -> web1.recentOutput(1).equals(List.of("hello from web on " + port)));
            RESOLVED.add("ok");
        }
    }

    @Test
    void testsAndConstructorsTakeTheSupervisorGroupsInstancesAndPortsByName() {
        Parameters.RESOLVED.clear();
        JupiterRun.Result run = JupiterRun.run(Parameters.class);

        assertThat(run.failures()).isEmpty();
        assertThat(Parameters.RESOLVED).containsExactly("ok");
    }

    @Fixture
    static class BrokenHelper {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder()
                .addProcess("broken", p -> p.shell("echo 'FATAL: data directory is missing'; exit 3")).build();

        @Test
        void neverRuns() {
            SEEN.add(-1L);
        }
    }

    @Test
    void aHelperThatDoesNotStartFailsTheClassWithTheProcessStartExceptionAsTheCause() {
        SEEN.clear();
        JupiterRun.Result run = JupiterRun.run(BrokenHelper.class);

        JupiterRun.Outcome cls = run.outcome("BrokenHelper");
        assertThat(cls.status()).isEqualTo(Status.FAILED);
        Throwable failure = cls.error().orElseThrow();
        assertThat(failure).isInstanceOf(HelperFailedException.class)
                .hasMessageStartingWith("the helpers of class BrokenHelper did not start: process 'broken' instance 0")
                .hasMessageContaining("FATAL: data directory is missing")
                .hasCauseInstanceOf(ProcessStartException.class);
        assertThat(SEEN).isEmpty();
    }

    @Fixture
    static class FailingTest {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("web")).build();

        @Test
        void fails(@Helper("web") ProcessInstance web) {
            await().until(() -> !web.recentOutput(1).isEmpty());
            throw new AssertionError("the upstream answered 500");
        }
    }

    @Test
    void aFailingTestCarriesEachHelpersLastLinesAndPublishesThem() {
        JupiterRun.Result run = JupiterRun.run(FailingTest.class);

        JupiterRun.Outcome test = run.outcome("fails(ProcessInstance)");
        assertThat(test.status()).isEqualTo(Status.FAILED);
        assertThat(test.error().orElseThrow()).hasMessage("the upstream answered 500");
        assertThat(test.explained()).contains("helpers of class FailingTest when fails(ProcessInstance) failed:",
                "web#0: RUNNING, pid ", "last 1 lines:\n  | hello from web on ");
        assertThat(run.entries()).anySatisfy(e -> assertThat(e.getKeyValuePairs()).hasEntrySatisfying("tspm web#0",
                v -> assertThat(v).contains("hello from web on ")));
    }

    @Fixture
    static class CrashDuringTest {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder()
                .addProcess("crasher", p -> p.shell("echo 'about to fall over'; exec sleep 60")).build();

        @Test
        void passesButItsHelperCrashed(@Helper("crasher") ProcessInstance crasher) {
            await().until(() -> !crasher.recentOutput(1).isEmpty());
            ProcessHandle.of(pid(crasher)).orElseThrow().destroyForcibly(); // not through the supervisor: a crash
            await().until(() -> !crasher.exitHistory().isEmpty());
        }

        @Test
        void untouched(@Helper("crasher") ProcessInstance crasher) {
            await().until(() -> crasher.pid().isPresent());
        }
    }

    @Test
    void aHelperThatCrashedDuringATestFailsThatTestNamingItsExitAndLastLines() {
        JupiterRun.Result run = JupiterRun.run(CrashDuringTest.class);

        JupiterRun.Outcome crashed = run.outcome("passesButItsHelperCrashed(ProcessInstance)");
        assertThat(crashed.status()).isEqualTo(Status.FAILED);
        assertThat(crashed.error().orElseThrow()).isInstanceOf(HelperFailedException.class)
                .hasMessageStartingWith("helper crasher#0 crashed: pid ")
                .hasMessageContaining("killed by SIGKILL", "  | about to fall over", "(during passesButItsHelperCrashed(ProcessInstance))");
        assertThat(run.outcome("untouched(ProcessInstance)").status()).isEqualTo(Status.SUCCESSFUL);
    }

    @Fixture
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class CrashBetweenTests {
        static final java.nio.file.Path GONE = tempFile();

        // "slow" takes 800 ms to be ready again; "broken" cannot start again once its file is gone.
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().failOnCrash(false)
                .addProcess("slow", p -> p.shell("echo up; exec sleep 60").readyAfter(Duration.ofMillis(800)))
                .addProcess("broken", p -> p.shell("[ -f '" + GONE + "' ] || exit 1; echo up; exec sleep 60")
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(20))
                                .maxRestarts(2, Duration.ofMinutes(1)).build()))
                .build();

        @Test
        @Order(1)
        void killsSlow(@Helper("slow") ProcessInstance slow) {
            SEEN.add(pid(slow));
            ProcessHandle.of(pid(slow)).orElseThrow().destroyForcibly(); // a crash
            await().until(() -> !slow.exitHistory().isEmpty()); // seen; the test ends long before it is back
        }

        @Test
        @Order(2)
        void meetsSlowReadyAgain(@Helper("slow") ProcessInstance slow) {
            assertThat(slow.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(slow.snapshot().ready()).isTrue();
            assertThat(pid(slow)).isNotEqualTo(SEEN.get(SEEN.size() - 1));
        }

        @Test
        @Order(3)
        void breaksBroken(@Helper("broken") ProcessInstance broken) throws Exception {
            java.nio.file.Files.delete(GONE);
            ProcessHandle.of(pid(broken)).orElseThrow().destroyForcibly();
            await().until(() -> !broken.exitHistory().isEmpty());
        }

        @Test
        @Order(4)
        void neverRunsWithBrokenGivenUpOn() {
            throw new AssertionError("ran although a helper did not come back");
        }

        private static java.nio.file.Path tempFile() {
            try {
                return java.nio.file.Files.createTempFile("tspm-helper", ".ok");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void theNextTestWaitsForAHelperThatCrashedToBeReadyAgain_orFailsNamingOneGivenUpOn() {
        JupiterRun.Result run = JupiterRun.run(CrashBetweenTests.class);

        assertThat(run.outcome("killsSlow(ProcessInstance)").status()).isEqualTo(Status.SUCCESSFUL);
        assertThat(run.outcome("meetsSlowReadyAgain(ProcessInstance)").status())
                .as("%s", run.outcome("meetsSlowReadyAgain(ProcessInstance)").explained()).isEqualTo(Status.SUCCESSFUL);
        assertThat(run.outcome("breaksBroken(ProcessInstance)").status()).isEqualTo(Status.SUCCESSFUL);
        JupiterRun.Outcome blocked = run.outcome("neverRunsWithBrokenGivenUpOn()");
        assertThat(blocked.status()).isEqualTo(Status.FAILED);
        assertThat(blocked.error().orElseThrow()).isInstanceOf(HelperFailedException.class)
                .hasMessageStartingWith("the helpers are not ready for test neverRunsWithBrokenGivenUpOn():")
                .hasMessageContaining("helper broken#0 is not ready: ", "(pid ", "gone) up");
    }

    @Fixture
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class SharedOne {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("db")).shared().build();

        @Test
        void uses(@Helper("db") ProcessInstance db) {
            SEEN.add(pid(db));
        }
    }

    @Fixture
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class SharedTwo {
        @RegisterExtension
        final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("db")).shared().build();

        @Test
        void usesToo(@Helper("db") ProcessInstance db) {
            SEEN.add(pid(db));
        }
    }

    @Test
    void sharedHelpersStartOnceForTheRunOutliveEachClassWithoutCountingAsLeakedAndStopAtItsEnd() {
        SEEN.clear();
        JupiterRun.Result run = JupiterRun.run(Map.of(NoLeakedProcessesExtension.GRACE_PARAMETER, "200ms"),
                SharedOne.class, SharedTwo.class);

        assertThat(run.failures()).isEmpty();
        assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
        assertThat(alive(SEEN.get(0))).isFalse();
    }

    @Fixture
    static class KeyedA {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("db")).shared("db").build();

        @Test
        void uses() {
        }
    }

    @Fixture
    static class KeyedB {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(sleeper("pg")).shared("db").build();

        @Test
        void uses() {
        }
    }

    @Test
    void aSharedKeyDeclaredWithOtherSpecsIsRefusedNamingBoth() {
        JupiterRun.Result run = JupiterRun.run(KeyedA.class, KeyedB.class);

        assertThat(run.outcome("KeyedA").status()).isEqualTo(Status.SUCCESSFUL);
        assertThat(run.outcome("KeyedB").error().orElseThrow()).isInstanceOf(IllegalStateException.class)
                .hasMessage("shared helpers 'db' were first declared with the processes [db], but are now declared "
                        + "with [pg]: give one of them another key");
        assertThat(KeyedB.helpers.toString()).isEqualTo("TspmExtension[pg] shared as 'db'");
    }
}
