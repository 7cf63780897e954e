package io.tspm.config;

import io.tspm.GroupSnapshot;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.ResourceUsage;
import io.tspm.SupervisorSnapshot;
import io.tspm.config.internal.TextfileMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A supervisor's figures in the Prometheus text exposition format 0.0.4, for a {@code /metrics}
 * endpoint: per instance up, ready, state, restarts, CPU seconds, resident memory, threads, open
 * files, start time, last exit code and traffic, labelled {@code process}, {@code instance} and
 * {@code namespace}; and, when asked, the series the instances wrote to their own text files (as
 * node_exporter's textfile collector reads them), with the instance's labels added.
 */
public final class PrometheusText {

    /** The content type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** What one metric family reads from an instance; null when it has no value now. */
    private record Family(String name, String type, String help, Function<InstanceSnapshot, Double> value) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("tspm_instance_up", "gauge", "1 when the instance has a live process.",
                    i -> i.pid().isPresent() ? 1.0 : 0.0),
            new Family("tspm_instance_ready", "gauge", "1 when the instance is RUNNING and ready (load balancing picks it).",
                    i -> i.ready() ? 1.0 : 0.0),
            new Family("tspm_instance_restarts_total", "counter", "Restarts after the instance's first start.",
                    i -> (double) i.restarts()),
            new Family("tspm_instance_cpu_seconds_total", "counter",
                    "CPU time of the instance's live process tree, user and system.",
                    i -> i.resources().map(ResourceUsage::cpuSeconds).orElse(null)),
            new Family("tspm_instance_resident_memory_bytes", "gauge", "Resident memory of the instance's process tree.",
                    i -> i.resources().flatMap(r -> r.memoryBytes().isPresent()
                            ? java.util.Optional.of((double) r.memoryBytes().getAsLong())
                            : java.util.Optional.<Double>empty()).orElse(null)),
            new Family("tspm_instance_threads", "gauge", "Threads of the instance's process tree.",
                    i -> i.resources().map(r -> (double) r.threads()).orElse(null)),
            new Family("tspm_instance_open_files", "gauge", "Open file descriptors of the instance's main process.",
                    i -> i.resources().flatMap(r -> r.openFiles().isPresent()
                            ? java.util.Optional.of((double) r.openFiles().getAsInt())
                            : java.util.Optional.<Double>empty()).orElse(null)),
            new Family("tspm_instance_start_time_seconds", "gauge",
                    "When the instance's current (or last) process was spawned, in seconds since the epoch.",
                    i -> i.startedAt().map(t -> t.toEpochMilli() / 1000.0).orElse(null)),
            new Family("tspm_instance_last_exit_code", "gauge",
                    "The exit code of the instance's last process (128 + the signal when one ended it).",
                    i -> i.lastExit().map(e -> (double) e.exitValue()).orElse(null)),
            new Family("tspm_instance_connections_open", "gauge",
                    "Leases and proxied connections open on the instance.", i -> (double) i.traffic().open()),
            new Family("tspm_instance_connections_served_total", "counter",
                    "Leases and proxied connections the instance served.", i -> (double) i.traffic().served()),
            new Family("tspm_instance_received_bytes_total", "counter", "Bytes proxied to the instance.",
                    i -> (double) i.traffic().bytesIn()),
            new Family("tspm_instance_sent_bytes_total", "counter", "Bytes the instance sent back through the proxy.",
                    i -> (double) i.traffic().bytesOut()),
            new Family("tspm_instance_connect_failures_total", "counter",
                    "Connects to the instance that were refused or timed out.",
                    i -> (double) i.traffic().connectFailures()),
            new Family("tspm_instance_ejections_total", "counter", "Times the instance was ejected for failing.",
                    i -> (double) i.traffic().ejections()));

    private PrometheusText() {
    }

    /** The supervisor's own figures. */
    public static String of(SupervisorSnapshot snapshot) {
        StringBuilder out = new StringBuilder(4096);
        write(snapshot, out);
        return out.toString();
    }

    /**
     * The supervisor's figures and, after them, the series each instance wrote to
     * {@code textfile.apply(instance)} (a path; null or a missing file: none). A malformed or
     * oversized file is skipped and counted in {@code tspm_textfile_errors_total}, never
     * breaking the whole.
     */
    public static String of(SupervisorSnapshot snapshot, Function<InstanceSnapshot, Path> textfile) {
        StringBuilder out = new StringBuilder(4096);
        write(snapshot, out);
        TextfileMetrics.write(snapshot, textfile, out);
        return out.toString();
    }

    private static void write(SupervisorSnapshot snapshot, StringBuilder out) {
        List<InstanceSnapshot> all = new ArrayList<>();
        for (GroupSnapshot g : snapshot.groups()) {
            all.addAll(g.instances());
        }
        for (Family f : FAMILIES) {
            out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
            for (InstanceSnapshot i : all) {
                Double v = f.value.apply(i);
                if (v != null) {
                    sample(out, f.name, labels(i), v);
                }
            }
        }
        out.append("# HELP tspm_instance_state 1 for the state the instance is in.\n");
        out.append("# TYPE tspm_instance_state gauge\n");
        for (InstanceSnapshot i : all) {
            for (InstanceState s : InstanceState.values()) {
                Map<String, String> l = labels(i);
                l.put("state", s.name().toLowerCase(Locale.ROOT));
                sample(out, "tspm_instance_state", l, i.state() == s ? 1 : 0);
            }
        }
    }

    /** The labels every series of an instance carries. */
    public static Map<String, String> labels(InstanceSnapshot i) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("process", i.process());
        l.put("instance", Integer.toString(i.instanceId()));
        l.put("namespace", i.namespace());
        return l;
    }

    private static void sample(StringBuilder out, String name, Map<String, String> labels, double value) {
        out.append(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
        }
        out.append("} ").append(number(value)).append('\n');
    }

    /** A label value as the format writes it: backslash, double quote and line feed escaped. */
    public static String escape(String value) {
        StringBuilder sb = null;
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            String rep = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : null;
            if (rep != null && sb == null) {
                sb = new StringBuilder(value.length() + 8).append(value, 0, k);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? value : sb.toString();
    }

    /** A sample value: whole numbers without a fraction, others as Java writes doubles. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
