package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tspm.InstanceSnapshot;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics text: parsed strictly, as a Prometheus server would, over 100 real instances. */
class PrometheusTextTest {

    @TempDir
    Path dir;

    /** One sample: its family, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    /**
     * The text exposition format 0.0.4, strictly: HELP and TYPE before a family's samples, each
     * family in one block, valid names, escaped label values, numbers, no series twice.
     */
    static List<Sample> parse(String text) {
        assertThat(text).endsWith("\n");
        List<Sample> out = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            assertThat(line).as("no blank line").isNotEmpty();
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ", 4);
                String family = parts[2];
                assertThat(family).matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
                assertThat(closed).as("family %s in one block", family).doesNotContain(family);
                if (!family.equals(current) && current != null) {
                    closed.add(current);
                }
                current = family;
                if (line.startsWith("# TYPE ")) {
                    assertThat(parts[3]).isIn("counter", "gauge", "histogram", "summary", "untyped");
                    assertThat(types.put(family, parts[3])).as("one TYPE for %s", family).isNull();
                }
                continue;
            }
            assertThat(line).doesNotStartWith("#");
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a sample line: %s", line).isTrue();
            String name = m.group(1);
            String family = types.containsKey(name) ? name : name.replaceAll("_(bucket|sum|count)$", "");
            assertThat(types).as("TYPE before %s", name).containsKey(family);
            assertThat(family).as("in its family's block: %s", line).isEqualTo(current);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int at = 0;
                while (at < m.group(2).length()) {
                    assertThat(l.find(at) && l.start() == at).as("a label at %d of %s", at, line).isTrue();
                    assertThat(labels.put(l.group(1), l.group(2))).as("label %s once", l.group(1)).isNull();
                    at = l.end();
                }
            }
            assertThat(series.add(name + labels)).as("series once: %s", line).isTrue();
            String v = m.group(3);
            double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY
                    : Double.parseDouble(v);
            out.add(new Sample(name, labels, value));
        }
        return out;
    }

    @Test
    void labelValuesAreEscapedAsTheFormatSays() {
        assertThat(PrometheusText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(PrometheusText.escape("plain")).isEqualTo("plain");
        assertThat(PrometheusText.number(3.0)).isEqualTo("3");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
    }

    @Test
    void aHundredInstancesAndTheirOwnFilesParseStrictly() throws Exception {
        Path files = Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(files.resolve("web-0.prom"), String.join("\n",
                "# HELP jobs_done_total Jobs done.",
                "# TYPE jobs_done_total counter",
                "jobs_done_total{queue=\"a \\\"quoted\\\" one\",instance=\"spoofed\"} 42",
                "# TYPE latency_seconds histogram",
                "latency_seconds_bucket{le=\"0.1\"} 3",
                "latency_seconds_bucket{le=\"+Inf\"} 5",
                "latency_seconds_sum 0.9",
                "latency_seconds_count 5", ""));
        Files.writeString(files.resolve("web-1.prom"), "# TYPE jobs_done_total counter\njobs_done_total 7\n");
        Files.writeString(files.resolve("web-2.prom"), "this is not the format\n");
        Files.writeString(files.resolve("web-3.prom"), "tspm_instance_up 1\n"); // may not pose as ours
        Files.write(files.resolve("web-4.prom"), new byte[2 << 20]);
        try (Supervisor s = Supervisor.builder().sampleInterval(Duration.ofSeconds(1))
                .addProcess(ProcessSpec.builder("web").command("sleep", "60").instances(60).readyAfter(Duration.ZERO).build())
                .addProcess(ProcessSpec.builder("worker").command("sleep", "60").instances(40).namespace("jobs")
                        .readyAfter(Duration.ZERO).build())
                .build()) {
            s.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> s.list().stream().allMatch(i -> i.resources().isPresent()));
            String text = PrometheusText.of(s.snapshot(),
                    i -> files.resolve(i.process() + "-" + i.instanceId() + ".prom"));
            List<Sample> samples = parse(text);

            List<Sample> up = samples.stream().filter(x -> x.name().equals("tspm_instance_up")).toList();
            assertThat(up).hasSize(100).allSatisfy(x -> assertThat(x.value()).isEqualTo(1.0));
            assertThat(up.get(99).labels()).isEqualTo(Map.of("process", "worker", "instance", "39", "namespace", "jobs"));
            InstanceSnapshot web7 = s.describe("web").get(7);
            assertThat(valueOf(samples, "tspm_instance_resident_memory_bytes", "web", "7"))
                    .isPositive().isLessThan(100e6);
            assertThat(valueOf(samples, "tspm_instance_start_time_seconds", "web", "7"))
                    .isEqualTo(web7.startedAt().orElseThrow().toEpochMilli() / 1000.0);
            assertThat(samples.stream().filter(x -> x.name().equals("tspm_instance_state")
                    && x.labels().get("state").equals("running") && x.value() == 1)).hasSize(100);

            assertThat(samples).filteredOn(x -> x.name().equals("jobs_done_total")).extracting(Sample::labels)
                    .containsExactly(
                            Map.of("process", "web", "instance", "0", "namespace", "default", "queue",
                                    "a \\\"quoted\\\" one"),
                            Map.of("process", "web", "instance", "1", "namespace", "default"));
            assertThat(samples).filteredOn(x -> x.name().startsWith("latency_seconds")).hasSize(4);
            assertThat(valueOf(samples, "tspm_textfile_errors_total")).as("garbage, a pose, too big").isEqualTo(3);
        }
    }

    private static double valueOf(List<Sample> samples, String name, String process, String instance) {
        return samples.stream().filter(x -> x.name().equals(name) && process.equals(x.labels().get("process"))
                && instance.equals(x.labels().get("instance"))).findFirst().orElseThrow().value();
    }

    private static double valueOf(List<Sample> samples, String name) {
        return samples.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().value();
    }
}
