package io.tspm.examples.runner.ui;

import io.tspm.GroupSnapshot;
import io.tspm.Human;
import io.tspm.InstanceSnapshot;
import io.tspm.InstanceState;
import io.tspm.SupervisorSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of instances both {@code tspm list} and the live table show: name, id, status, pid,
 * port, restarts, CPU, memory, uptime, ready. Cells are computed once; {@link #render} lays them
 * out with ANSI colours or without, the live table with JLine's styles.
 */
public final class ProcessTable {

    /** The column headers. */
    public static final List<String> HEADERS = List.of("NAME", "ID", "STATUS", "PID", "PORT", "RESTARTS", "CPU",
            "MEM", "UPTIME", "READY");

    /** Index of the status column, the one in colour. */
    public static final int STATUS_COLUMN = 2;

    /** ANSI colour numbers (30 + n), shared with the live table. */
    public static final int GREEN = 2;
    /** Yellow. */
    public static final int YELLOW = 3;
    /** Red. */
    public static final int RED = 1;
    /** Cyan. */
    public static final int CYAN = 6;
    /** Grey (bright black). */
    public static final int GREY = 8;

    private ProcessTable() {
    }

    /**
     * One instance as cells.
     *
     * @param instance the instance
     * @param cells    one text per column of {@link #HEADERS}
     * @param color    the colour of its status
     */
    public record Row(InstanceSnapshot instance, List<String> cells, int color) {
    }

    /** Every instance of the snapshot as a row. */
    public static List<Row> rows(SupervisorSnapshot snapshot) {
        List<Row> rows = new ArrayList<>();
        for (GroupSnapshot g : snapshot.groups()) {
            for (InstanceSnapshot i : g.instances()) {
                rows.add(row(i));
            }
        }
        return rows;
    }

    static Row row(InstanceSnapshot i) {
        List<String> cells = List.of(
                i.process(),
                Integer.toString(i.instanceId()),
                status(i),
                i.pid().isPresent() ? Long.toString(i.pid().getAsLong()) : "-",
                i.port().isPresent() ? Integer.toString(i.port().getAsInt()) : "-",
                Integer.toString(i.restarts()),
                i.resources().map(r -> String.format(Locale.ROOT, "%.1f%%", r.cpuPercentAverage())).orElse("-"),
                i.resources().flatMap(r -> r.memoryBytes().isPresent()
                        ? java.util.Optional.of(Human.bytes(r.memoryBytes().getAsLong())) : java.util.Optional.empty())
                        .orElse("-"),
                uptime(i.uptime()),
                i.ready() ? "yes" : "no");
        return new Row(i, cells, color(i));
    }

    /** The status word: the state in lower case, "running" only when ready. */
    static String status(InstanceSnapshot i) {
        if (i.state() == InstanceState.RUNNING && !i.ready()) {
            return "unready";
        }
        return i.state().name().toLowerCase(Locale.ROOT);
    }

    static int color(InstanceSnapshot i) {
        switch (i.state()) {
            case RUNNING:
                return i.ready() ? GREEN : YELLOW;
            case STARTING:
                return CYAN;
            case STOPPING:
            case BACKOFF:
            case EXITED:
                return YELLOW;
            case FAILED:
                return RED;
            default:
                return GREY;
        }
    }

    /** Uptime in the table's short form: {@code 5 s}, {@code 2 min 5 s}; {@code -} when not running. */
    public static String uptime(Duration d) {
        if (d.isZero()) {
            return "-";
        }
        return Human.duration(d.getSeconds() < 1 ? d : Duration.ofSeconds(d.getSeconds()));
    }

    /** The width of each column over the headers and rows. */
    public static int[] widths(List<Row> rows) {
        int[] w = new int[HEADERS.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = HEADERS.get(c).length();
        }
        for (Row r : rows) {
            for (int c = 0; c < w.length; c++) {
                w[c] = Math.max(w[c], r.cells().get(c).length());
            }
        }
        return w;
    }

    /** The table as text, the status in ANSI colours when {@code color}. */
    public static String render(SupervisorSnapshot snapshot, boolean color) {
        List<Row> rows = rows(snapshot);
        if (rows.isEmpty()) {
            return "no processes\n";
        }
        int[] w = widths(rows);
        StringBuilder sb = new StringBuilder();
        line(sb, HEADERS, w, -1, false);
        for (Row r : rows) {
            line(sb, r.cells(), w, r.color(), color);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, int statusColor, boolean color) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            boolean painted = color && c == STATUS_COLUMN && statusColor >= 0;
            if (painted) {
                sb.append(statusColor == GREY ? "\u001b[90m" : "\u001b[3" + statusColor + "m");
            }
            sb.append(cell);
            if (painted) {
                sb.append("\u001b[0m");
            }
            if (c < cells.size() - 1) {
                sb.append(" ".repeat(w[c] - cell.length() + 2));
            }
        }
        sb.append('\n');
    }
}
