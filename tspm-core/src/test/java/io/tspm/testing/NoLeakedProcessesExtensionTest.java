package io.tspm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testsupport.Fixture;
import io.tspm.testsupport.JupiterRun;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult.Status;

class NoLeakedProcessesExtensionTest {

    static final AtomicLong LEAKED = new AtomicLong();

    /** Run only through the Launcher below: starts a process and walks away from it. */
    @Fixture
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class LeakingFixture {
        @Test
        void leaves() throws IOException {
            LEAKED.set(new ProcessBuilder("sleep", "60").start().pid());
        }
    }

    /** Cleans up after itself. */
    @Fixture
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class TidyFixture {
        @Test
        void cleansUp() throws Exception {
            Process p = new ProcessBuilder("sleep", "60").start();
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void aClassThatLeavesAProcessFailsNamingItAndTheProcessIsKilled() {
        JupiterRun.Result run = JupiterRun.run(Map.of(NoLeakedProcessesExtension.GRACE_PARAMETER, "300ms"),
                LeakingFixture.class);

        assertThat(run.tests(Status.SUCCESSFUL)).hasSize(1); // the test itself passed
        JupiterRun.Outcome cls = run.outcome(LeakingFixture.class.getSimpleName());
        assertThat(cls.status()).isEqualTo(Status.FAILED);
        assertThat(cls.explained()).contains("1 process left behind by NoLeakedProcessesExtensionTest$LeakingFixture 300 ms after it ended",
                LEAKED.get() + " ", "sleep 60");
        assertThat(ProcessHandle.of(LEAKED.get()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void graceTime_badValue_isRejectedNamingTheParameter() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NoLeakedProcessesExtension.parse("g", "10 min"))
                .hasMessage("g must be a whole number of seconds or milliseconds such as 10s or 500ms, but was '10 min'");
        assertThat(NoLeakedProcessesExtension.parse("g", "2s")).hasSeconds(2);
        assertThat(NoLeakedProcessesExtension.parse("g", "500ms")).hasMillis(500);
    }

    @Test
    void aClassThatCleansUpPasses() {
        JupiterRun.Result run = JupiterRun.run(TidyFixture.class);

        assertThat(run.failures()).isEmpty();
        assertThat(run.tests(Status.SUCCESSFUL)).hasSize(1);
    }
}
