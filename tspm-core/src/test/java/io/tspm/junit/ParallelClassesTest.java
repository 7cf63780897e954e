package io.tspm.junit;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.testsupport.Fixture;
import io.tspm.testsupport.HttpMain;
import io.tspm.testsupport.JupiterRun;
import io.tspm.testsupport.Scripts;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult.Status;

/** Two classes with the same free-port helper spec, run at the same time by JUnit's parallel execution. */
class ParallelClassesTest {

    static final ProcessSpec SERVER = ProcessSpec.builder("server").command(Scripts.java(HttpMain.class)).freePorts()
            .instances(2).build();
    static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);
    static final List<String> ANSWERS = new CopyOnWriteArrayList<>();

    static void callOwnServers(ProcessInstance first, ProcessInstance second) throws Exception {
        BOTH_RUNNING.countDown();
        // Both classes have their helpers up at once, or this times out: the run was not parallel.
        assertThat(BOTH_RUNNING.await(60, TimeUnit.SECONDS)).as("the other class runs at the same time").isTrue();
        for (ProcessInstance i : List.of(first, second)) {
            String expected = "instance " + i.id() + " pid " + i.pid().getAsLong();
            await().until(() -> get(i.port().getAsInt()).equals(expected));
            ANSWERS.add(i.port().getAsInt() + " " + expected);
        }
    }

    static String get(int port) throws Exception {
        try (InputStream in = new URL("http://127.0.0.1:" + port + "/").openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Fixture
    static class Left {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(SERVER).build();

        @Test
        void callsItsOwnServers(@Helper("server") ProcessInstance a, @Helper(value = "server", instance = 1) ProcessInstance b)
                throws Exception {
            callOwnServers(a, b);
        }
    }

    @Fixture
    static class Right {
        @RegisterExtension
        static final TspmExtension helpers = TspmExtension.builder().addProcess(SERVER).build();

        @Test
        void callsItsOwnServers(@Helper("server") ProcessInstance a, @Helper(value = "server", instance = 1) ProcessInstance b)
                throws Exception {
            callOwnServers(a, b);
        }
    }

    @Test
    void twoClassesInParallelWithTheSameHelperSpecNeverClash() {
        JupiterRun.Result run = JupiterRun.run(Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "same_thread",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"), Left.class, Right.class);

        assertThat(run.failures()).isEmpty();
        assertThat(run.tests(Status.SUCCESSFUL)).hasSize(2);
        assertThat(ANSWERS).hasSize(4);
        assertThat(ANSWERS.stream().map(a -> a.split(" ")[0])).doesNotHaveDuplicates(); // four servers, four ports
    }
}
