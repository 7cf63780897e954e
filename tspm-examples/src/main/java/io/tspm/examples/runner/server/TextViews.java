package io.tspm.examples.runner.server;

import io.tspm.ExitRecord;
import io.tspm.GroupSnapshot;
import io.tspm.Human;
import io.tspm.InstanceSnapshot;
import io.tspm.OutputLine;
import io.tspm.ProbeStatus;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.Supervisor;
import io.tspm.examples.runner.ui.ProcessTable;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** What the commands print for a person: a process described, a log line, the diagnostic report. */
final class TextViews {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private TextViews() {
    }

    /** {@code 12:00:01.250 web#0 | text} ({@code web#0 !} for stderr). */
    static String line(OutputLine l) {
        LocalTime t = LocalTime.ofInstant(l.time(), ZoneId.systemDefault());
        return TIME.format(t) + " " + l.process() + "#" + l.instanceId()
                + (l.stream() == io.tspm.OutputStreamKind.STDERR ? " ! " : " | ") + l.text();
    }

    static String describe(GroupSnapshot g, Map<Integer, List<ExitRecord>> exits, String spec, boolean color) {
        StringBuilder sb = new StringBuilder();
        sb.append(g.name()).append(": ").append(g.readyCount()).append('/').append(g.instances().size())
                .append(" ready, namespace ").append(g.namespace());
        if (!g.labels().isEmpty()) {
            sb.append(", labels ").append(g.labels());
        }
        sb.append("\n\nspec:\n");
        spec.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        for (InstanceSnapshot i : g.instances()) {
            sb.append('\n').append(i).append('\n'); // it reads "web#0 RUNNING pid ..."
            sb.append("  crashes: ").append(i.crashStats()).append('\n');
            i.resources().ifPresent(r -> sb.append("  resources: ").append(r).append('\n'));
            for (ProbeStatus p : i.probes()) {
                sb.append("  probe: ").append(p).append('\n');
            }
            List<ExitRecord> history = exits.getOrDefault(i.instanceId(), List.of());
            int from = Math.max(0, history.size() - 5);
            if (!history.isEmpty()) {
                sb.append("  last exits:\n");
                for (ExitRecord r : history.subList(from, history.size())) {
                    sb.append("    ").append(r).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String report(Runner runner) {
        Supervisor s = runner.supervisor();
        StringBuilder sb = new StringBuilder("tspm report\n\n");
        sb.append("java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.home"))
                .append(")\n");
        sb.append("os: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("tspm: ").append(version()).append('\n');
        sb.append("runner: pid ").append(ProcessHandle.current().pid()).append(", ").append(runner.phase())
                .append(", up ").append(Human.duration(java.time.Duration.between(runner.openedAt(),
                        java.time.Instant.now()))).append('\n');
        Runtime rt = Runtime.getRuntime();
        sb.append("heap: ").append(Human.bytes(rt.totalMemory() - rt.freeMemory())).append(" used of ")
                .append(Human.bytes(rt.totalMemory())).append(", threads ").append(Thread.activeCount()).append('\n');
        sb.append("config: ").append(runner.configFile() == null ? "(restored from the dump)" : runner.configFile())
                .append('\n');
        sb.append("state: ").append(runner.state()).append("\n\n");
        sb.append(ProcessTable.render(s.snapshot(), false)).append('\n');
        for (ProcessGroup g : s.groups()) {
            for (ProcessInstance i : g.instances()) {
                sb.append(g.name()).append('#').append(i.id()).append('\n');
                List<ExitRecord> history = i.exitHistory();
                for (ExitRecord r : history.subList(Math.max(0, history.size() - 3), history.size())) {
                    sb.append("  exit: ").append(r).append('\n');
                }
                for (OutputLine l : i.recentLines(10)) {
                    sb.append("  ").append(line(l)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String version() {
        String v = TextViews.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
