package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.ProcessFailed;
import io.tspm.event.SupervisorEvent;
import io.tspm.testing.EventRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a spec becomes a running program: what it is called, where it is found, and why it cannot run. */
class LaunchTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    private Supervisor.Builder supervisor() {
        return Supervisor.builder().name("launch").addListener(events);
    }

    @Test
    void aMalformedEnvFileLineNeverShowsItsValue() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "GOOD=1\nDB_PASSWORD: hunter2\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        // slf4j-simple writes to whatever System.err is; a listener that throws makes the library log the event.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        Throwable thrown;
        String reason;
        try (Supervisor s = supervisor()
                .addListener(e -> {
                    if (e instanceof ProcessFailed) {
                        throw new IllegalStateException("a listener that fails, so the event is logged");
                    }
                })
                .addProcess("db", p -> p.command("true").envFile(env))
                .build()) {
            thrown = org.assertj.core.api.Assertions.catchThrowable(s::start);
            reason = s.describe("db").get(0).failureReason().orElseThrow();
            assertThat(s.describe("db").get(0).toString()).doesNotContain("hunter2");
        } finally {
            System.setErr(err);
        }
        assertThat(thrown).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(env + ", line 2: expected KEY=value, but DB_PASSWORD is followed by ':'");
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("hunter2");
        assertThat(reason).contains("line 2").contains("DB_PASSWORD").doesNotContain("hunter2");
        assertThat(events.of(ProcessFailed.class, "db")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("line 2").doesNotContain("hunter2"));
        assertThat(events.all()).extracting(SupervisorEvent::toString).noneMatch(t -> t.contains("hunter2"));
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the library logged the failure").contains("line 2");
        assertThat(logged).doesNotContain("hunter2");
    }
}
