package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tspm.ExitRecord;
import io.tspm.GroupSnapshot;
import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessGroup;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state's JSON shapes, from a real supervisor, read back by a JSON parser. */
class SnapshotJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theShapesOfARunningSupervisor_parse_andCarryItsState() throws Exception {
        ProcessSpec crashing = ProcessSpec.builder("job").shell("echo 'started'; sleep 0.2; exit 3").readyAfter(Duration.ZERO)
                .restartPolicy(io.tspm.RestartPolicy.never()).build();
        ProcessSpec web = ProcessSpec.builder("web").command("sleep", "600").instances(2).label("tier", "front")
                .build();
        try (Supervisor s = Supervisor.builder().name("shapes").addProcess(web).addProcess(crashing).build()) {
            s.start();
            ProcessGroup job = s.group("job");
            await().atMost(Duration.ofSeconds(20)).until(() -> !job.instance(0).exitHistory().isEmpty());

            JsonNode all = JSON.readTree(SnapshotJson.instances(s.snapshot()));
            assertThat(all).hasSize(3);
            JsonNode web0 = all.get(0);
            assertThat(web0.get("name").asText()).isEqualTo("web");
            assertThat(web0.get("id").asInt()).isZero();
            assertThat(web0.get("status").asText()).isEqualTo("running");
            assertThat(web0.get("pid").asLong()).isEqualTo(s.group("web").instance(0).pid().getAsLong());
            assertThat(all.get(2).get("lastExit").get("code").asInt()).isEqualTo(3);

            JsonNode snapshot = JSON.readTree(SnapshotJson.snapshot(s.snapshot()));
            assertThat(snapshot.get("name").asText()).isEqualTo("shapes");
            assertThat(snapshot.get("processes").get(0).get("labels").get("tier").asText()).isEqualTo("front");
            assertThat(snapshot.get("processes").get(0).get("instances")).hasSize(2);

            GroupSnapshot group = s.snapshot().group("job").orElseThrow();
            Map<Integer, List<ExitRecord>> exits = Map.of(0, job.instance(0).exitHistory());
            JsonNode describe = JSON.readTree(SnapshotJson.process(group, exits, "name: job\n"));
            assertThat(describe.get("spec").asText()).isEqualTo("name: job\n");
            JsonNode exit = describe.get("instances").get(0).get("exits").get(0);
            assertThat(exit.get("status").get("code").asInt()).isEqualTo(3);
            assertThat(exit.get("crash").asBoolean()).isTrue();
            assertThat(exit.get("lastOutput").toString()).contains("started");

            JsonNode plan = JSON.readTree(SnapshotJson.plan(s.plan(List.of(web)), false));
            assertThat(plan.get("applied").asBoolean()).isFalse();
            assertThat(plan.get("changes").get(0).get("process").asText()).isEqualTo("job");
            assertThat(plan.get("changes").get(0).get("action").asText()).isEqualTo("remove");
        }
    }

    @Test
    void aLogLine_isEscaped_asJsonRequires() throws Exception {
        OutputLine line = new OutputLine(Instant.parse("2026-12-02T03:00:00Z"), "web", 1, 42, OutputStreamKind.STDERR,
                "quote \" backslash \\ tab \t <script>\u0001");
        JsonNode n = JSON.readTree(SnapshotJson.line(line));
        assertThat(n.get("text").asText()).isEqualTo(line.text());
        assertThat(n.get("stream").asText()).isEqualTo("stderr");
        assertThat(n.get("instance").asInt()).isEqualTo(1);
        assertThat(n.get("pid").asLong()).isEqualTo(42);
    }
}
