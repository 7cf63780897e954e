package io.tspm.examples;

import io.tspm.InstanceSnapshot;
import java.time.Duration;
import java.util.List;

/** Renders instance snapshots as a plain-text table. */
public final class StatusTable {

    private StatusTable() {
    }

    public static String render(List<InstanceSnapshot> instances) {
        StringBuilder sb = new StringBuilder();
        String format = "%-10s %-3s %-9s %-8s %-9s %-8s %s%n";
        sb.append(String.format(format, "NAME", "ID", "STATE", "PID", "RESTARTS", "UPTIME", "LAST EXIT"));
        for (InstanceSnapshot i : instances) {
            sb.append(String.format(format, i.process(), i.instanceId(), i.state(),
                    i.pid().isPresent() ? Long.toString(i.pid().getAsLong()) : "-",
                    i.restarts(), uptime(i.uptime()),
                    i.failureReason().orElse(i.lastExit().map(Object::toString).orElse("-"))));
        }
        return sb.toString();
    }

    static String uptime(Duration d) {
        if (d.isZero()) {
            return "-";
        }
        long s = d.getSeconds();
        return s < 60 ? d.toMillis() / 100 / 10.0 + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + s % 3600 / 60 + "m";
    }
}
