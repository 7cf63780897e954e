package io.tspm.examples.runner.ui;

import io.tspm.InstanceSnapshot;
import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.Supervisor;
import io.tspm.SupervisorSnapshot;
import io.tspm.event.SupervisorListener;
import java.io.IOException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The live table of {@code tspm run} on a terminal, as process-compose's: every instance with its
 * status in colour, redrawn each second (JLine's {@link Display} rewrites only the cells that
 * changed, so nothing flickers), the last log lines below, and keys to move, restart, stop,
 * start, scale and follow one process's log, listed at the bottom. A terminal too small for the
 * table gets one short line per instance; one without colours gets none.
 *
 * <p>Two threads of its own: one draws (each second and after a key or an event), one reads keys.
 */
public final class LiveTable implements Screen {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String KEYS = "↑↓ move  r restart  x stop  s start  +/- scale  l follow log  q quit";
    private static final String KEYS_ASCII = "up/down move  r restart  x stop  s start  +/- scale  l log  q quit";

    private final Supervisor supervisor;
    private final String title;
    private final Runnable quit;
    private final Terminal terminal;
    private final Attributes saved;
    private final Display display;
    private final boolean colors;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Deque<Timed> events = new ArrayDeque<>();
    private final SupervisorListener listener;
    private final Thread drawer;
    private final Thread keys;
    private volatile boolean closed;
    private boolean dirty;
    private int selected;
    private String follow;
    private String message = "";

    /** A line of the log pane with the time it is sorted by. */
    private record Timed(java.time.Instant time, String text) {
    }

    private LiveTable(Supervisor supervisor, String title, Runnable quit, Terminal terminal) {
        this.supervisor = supervisor;
        this.title = title;
        this.quit = quit;
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        Integer max = terminal.getNumericCapability(Capability.max_colors);
        this.colors = max != null && max >= 8;
        this.display = new Display(terminal, true);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        terminal.handle(Terminal.Signal.WINCH, s -> redraw());
        listener = e -> {
            String text = EventText.of(e);
            if (text != null) {
                synchronized (events) {
                    events.addLast(new Timed(e.time(), TIME.format(LocalTime.ofInstant(e.time(), ZoneId.systemDefault()))
                            + " " + text));
                    while (events.size() > 50) {
                        events.removeFirst();
                    }
                }
                redraw();
            }
        };
        supervisor.addListener(listener);
        drawer = new Thread(this::drawLoop, "tspm-live-table");
        drawer.setDaemon(true);
        keys = new Thread(this::keyLoop, "tspm-live-keys");
        keys.setDaemon(true);
        drawer.start();
        keys.start();
    }

    /**
     * The live table on the process's terminal, or null when there is none JLine can drive (then the
     * caller prints plain lines). {@code quit} is run on {@code q}.
     */
    public static LiveTable open(Supervisor supervisor, String title, Runnable quit) {
        try {
            // The exec provider (stty) loads no native library: no native-access warning on JDK 22+ over the table.
            Terminal t = TerminalBuilder.builder().system(true).dumb(false).provider("exec").nativeSignals(true)
                    .signalHandler(Terminal.SignalHandler.SIG_DFL).build();
            if (Terminal.TYPE_DUMB.equals(t.getType()) || Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
                t.close();
                return null;
            }
            return new LiveTable(supervisor, title, quit, t);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void redraw() {
        lock.lock();
        try {
            dirty = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void drawLoop() {
        while (!closed) {
            try {
                draw();
                lock.lock();
                try {
                    if (!dirty) {
                        wake.await(1, TimeUnit.SECONDS);
                    }
                    dirty = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                message = "draw failed: " + e;
            }
        }
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        Size size = terminal.getSize();
        int cols = Math.max(size.getColumns(), 20);
        int rows = Math.max(size.getRows(), 3);
        display.resize(rows, cols);
        SupervisorSnapshot snapshot = supervisor.snapshot();
        List<ProcessTable.Row> table = ProcessTable.rows(snapshot);
        selected = Math.max(0, Math.min(selected, table.size() - 1));
        List<AttributedString> lines = new ArrayList<>();
        boolean compact = cols < 60 || rows < table.size() + 6;
        int ready = 0;
        for (ProcessTable.Row r : table) {
            ready += r.instance().ready() ? 1 : 0;
        }
        lines.add(bold("tspm · " + title + " · " + snapshot.groups().size() + " processes, " + ready + "/"
                + table.size() + " ready · " + TIME.format(LocalTime.now())));
        if (compact) {
            for (int i = 0; i < table.size() && lines.size() < rows - 1; i++) {
                ProcessTable.Row r = table.get(i);
                AttributedStringBuilder sb = new AttributedStringBuilder();
                sb.append(i == selected ? "> " : "  ").append(r.cells().get(0)).append("#").append(r.cells().get(1))
                        .append(" ");
                status(sb, r);
                sb.append(" ").append(r.cells().get(3));
                lines.add(sb.toAttributedString());
            }
        } else {
            int[] w = ProcessTable.widths(table);
            lines.add(row(ProcessTable.HEADERS, w, null, false, true));
            for (int i = 0; i < table.size(); i++) {
                lines.add(row(table.get(i).cells(), w, table.get(i), i == selected, false));
            }
            int logRows = rows - lines.size() - 3;
            if (logRows > 0) {
                lines.add(AttributedString.EMPTY);
                lines.add(dim("-- " + (follow == null ? "events and logs" : "log of " + follow + " (l: all)") + " "
                        + "-".repeat(Math.max(0, cols - 30))));
                for (String l : logLines(logRows)) {
                    lines.add(new AttributedString(l));
                }
            }
        }
        while (lines.size() < rows - 1) {
            lines.add(AttributedString.EMPTY);
        }
        String help = (cols >= KEYS.length() ? KEYS : KEYS_ASCII) + (message.isEmpty() ? "" : "  · " + message);
        lines.add(new AttributedStringBuilder().style(colors ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT)
                .append(help).toAttributedString());
        List<AttributedString> cut = new ArrayList<>();
        for (AttributedString l : lines.subList(0, Math.min(lines.size(), rows))) {
            cut.add(l.columnLength() > cols ? l.columnSubSequence(0, cols) : l);
        }
        display.update(cut, -1);
        terminal.flush();
    }

    private List<String> logLines(int n) {
        List<OutputLine> recent = new ArrayList<>();
        for (ProcessGroup g : supervisor.groups()) {
            if (follow != null && !g.name().equals(follow)) {
                continue;
            }
            for (ProcessInstance i : g.instances()) {
                recent.addAll(i.recentLines(n));
            }
        }
        recent.sort(Comparator.comparing(OutputLine::time));
        List<String> out = new ArrayList<>();
        if (follow == null) {
            List<Timed> merged;
            synchronized (events) {
                merged = new ArrayList<>(events);
            }
            for (OutputLine l : recent) {
                merged.add(new Timed(l.time(), format(l)));
            }
            merged.sort(Comparator.comparing(Timed::time));
            merged.forEach(t -> out.add(t.text()));
        } else {
            recent.forEach(l -> out.add(format(l)));
        }
        return out.subList(Math.max(0, out.size() - n), out.size());
    }

    private static String format(OutputLine l) {
        return TIME.format(LocalTime.ofInstant(l.time(), ZoneId.systemDefault())) + " " + l.process() + "#"
                + l.instanceId() + (l.stream() == OutputStreamKind.STDERR ? " ! " : " | ") + l.text();
    }

    private AttributedString row(List<String> cells, int[] w, ProcessTable.Row r, boolean sel, boolean header) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        sb.append(sel ? "> " : "  ");
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            if (header) {
                sb.style(colors ? AttributedStyle.BOLD : AttributedStyle.DEFAULT).append(cell)
                        .style(AttributedStyle.DEFAULT);
            } else if (c == ProcessTable.STATUS_COLUMN) {
                status(sb, r);
            } else if (sel && colors) {
                sb.style(AttributedStyle.BOLD).append(cell).style(AttributedStyle.DEFAULT);
            } else {
                sb.append(cell);
            }
            if (c < cells.size() - 1) {
                sb.append(" ".repeat(w[c] - cell.length() + 2));
            }
        }
        return sb.toAttributedString();
    }

    private void status(AttributedStringBuilder sb, ProcessTable.Row r) {
        String text = r.cells().get(ProcessTable.STATUS_COLUMN);
        if (!colors) {
            sb.append(text);
            return;
        }
        AttributedStyle style = r.color() == ProcessTable.GREY ? AttributedStyle.DEFAULT.faint()
                : AttributedStyle.DEFAULT.foreground(r.color());
        sb.style(style.bold()).append(text).style(AttributedStyle.DEFAULT);
    }

    private AttributedString bold(String s) {
        return new AttributedStringBuilder().style(colors ? AttributedStyle.BOLD : AttributedStyle.DEFAULT).append(s)
                .toAttributedString();
    }

    private AttributedString dim(String s) {
        return new AttributedStringBuilder().style(colors ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT)
                .append(s).toAttributedString();
    }

    private void keyLoop() {
        NonBlockingReader reader = terminal.reader();
        while (!closed) {
            try {
                int c = reader.read(200);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    continue;
                }
                if (c < 0) {
                    return;
                }
                if (c == 27) {
                    int c2 = reader.read(50);
                    int c3 = c2 == '[' || c2 == 'O' ? reader.read(50) : -1;
                    if (c3 == 'A') {
                        move(-1);
                    } else if (c3 == 'B') {
                        move(1);
                    }
                    continue;
                }
                key((char) c);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void move(int by) {
        selected = Math.max(0, selected + by);
        redraw();
    }

    private void key(char c) {
        InstanceSnapshot sel = selectedInstance();
        switch (c) {
            case 'k' -> move(-1);
            case 'j' -> move(1);
            case 'q', 3 -> {
                message = "stopping every process ...";
                quit.run();
            }
            case 'l' -> {
                follow = follow == null && sel != null ? sel.process() : null;
                message = follow == null ? "showing every process" : "following " + follow;
            }
            case 'r' -> act(sel, "restart", i -> i.restartAsync());
            case 'x' -> act(sel, "stop", i -> i.stopAsync());
            case 's' -> act(sel, "start", i -> i.startAsync());
            case '+', '=' -> scale(sel, 1);
            case '-', '_' -> scale(sel, -1);
            default -> {
                return;
            }
        }
        redraw();
    }

    private InstanceSnapshot selectedInstance() {
        List<ProcessTable.Row> rows = ProcessTable.rows(supervisor.snapshot());
        return rows.isEmpty() ? null : rows.get(Math.min(selected, rows.size() - 1)).instance();
    }

    private void act(InstanceSnapshot sel, String what, java.util.function.Function<ProcessInstance,
            CompletableFuture<?>> action) {
        if (sel == null) {
            return;
        }
        String who = sel.process() + "#" + sel.instanceId();
        message = what + " " + who + " ...";
        try {
            ProcessInstance instance = supervisor.group(sel.process()).instance(sel.instanceId());
            action.apply(instance).whenComplete((v, e) -> {
                message = e == null ? what + " " + who + ": done" : what + " " + who + " failed: " + rootMessage(e);
                redraw();
            });
        } catch (RuntimeException e) {
            message = what + " " + who + " failed: " + e.getMessage();
        }
    }

    private void scale(InstanceSnapshot sel, int by) {
        if (sel == null) {
            return;
        }
        ProcessGroup g = supervisor.group(sel.process());
        int n = Math.max(0, g.instances().size() + by);
        message = "scaling " + g.name() + " to " + n + " ...";
        g.scaleAsync(n).whenComplete((v, e) -> {
            message = e == null ? g.name() + " scaled to " + n : "scale " + g.name() + " failed: " + rootMessage(e);
            redraw();
        });
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e instanceof java.util.concurrent.CompletionException) {
            e = e.getCause();
        }
        String m = e.getMessage();
        return m == null ? e.toString() : m.lines().findFirst().orElse(m);
    }

    /** The events it showed, oldest first, for the summary printed once the table is gone. */
    public List<String> eventHistory() {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            events.forEach(t -> out.add(t.text()));
        }
        return out;
    }

    @Override
    public void notice(String text) {
        message = text;
        redraw();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervisor.removeListener(listener);
        drawer.interrupt();
        try {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
            terminal.close();
        } catch (IOException | RuntimeException e) {
            // The terminal is gone; nothing to give back.
        }
    }
}
