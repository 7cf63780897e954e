package io.tspm.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.testing.NoLeakedProcessesExtension;
import io.tspm.testsupport.Fixture;
import io.tspm.testsupport.JupiterRun;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult.Status;

class AnnotationFormTest {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @Fixture
    @WithHelpers
    @ExtendWith(NoLeakedProcessesExtension.class)
    static class Annotated {
        @HelperProcess
        static final ProcessSpec DB = TspmExtensionTest.sleeper("db");

        @HelperProcess
        final ProcessSpec web = TspmExtensionTest.sleeper("web");

        @Test
        void first(@Helper("db") ProcessInstance db, @Helper("web") ProcessInstance web, @Helper("web") int port) {
            SEEN.add("db " + TspmExtensionTest.pid(db) + " web " + TspmExtensionTest.pid(web));
            assertThat(web.port()).hasValue(port);
        }

        @Test
        void second(@Helper("db") ProcessInstance db, @Helper("web") ProcessInstance web) {
            SEEN.add("db " + TspmExtensionTest.pid(db) + " web " + TspmExtensionTest.pid(web));
        }
    }

    @Test
    void staticFieldsAreHelpersForTheClassAndInstanceFieldsForEachTest() {
        SEEN.clear();
        JupiterRun.Result run = JupiterRun.run(Annotated.class);

        assertThat(run.failures()).isEmpty();
        assertThat(run.tests(Status.SUCCESSFUL)).hasSize(2);
        assertThat(SEEN).hasSize(2);
        String db0 = SEEN.get(0).split(" web ")[0];
        String db1 = SEEN.get(1).split(" web ")[0];
        assertThat(db0).isEqualTo(db1); // one db for the class
        assertThat(SEEN.get(0).split(" web ")[1]).isNotEqualTo(SEEN.get(1).split(" web ")[1]); // a web per test
    }

    @Fixture
    @WithHelpers
    static class WrongType {
        @HelperProcess
        static final String NOT_A_SPEC = "sleep 60";

        @Test
        void never() {
        }
    }

    @Test
    void aHelperFieldThatIsNoProcessSpecIsRefusedNamingIt() {
        JupiterRun.Result run = JupiterRun.run(WrongType.class);

        assertThat(run.outcome("WrongType").error().orElseThrow())
                .hasMessage("@HelperProcess field WrongType.NOT_A_SPEC must be a ProcessSpec, but is a String");
    }
}
