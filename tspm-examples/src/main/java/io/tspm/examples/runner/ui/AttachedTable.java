package io.tspm.examples.runner.ui;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.RunnerException;
import io.tspm.examples.runner.client.ControlClient;
import io.tspm.examples.runner.client.Json;
import java.io.IOException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@code tspm monit} on a terminal: the running runner's table with the live table's keys, over the
 * control API (the runner draws the table, as {@code list} prints it; this adds the selection, the
 * last lines and the keys). One thread: it waits up to a second for a key, then redraws; JLine's
 * {@link Display} rewrites only what changed. {@code q} leaves monit, the runner runs on.
 */
public final class AttachedTable {

    private static final String KEYS = "↑↓ move  r restart  x stop  s start  +/- scale  l follow log  q quit";
    private static final String KEYS_ASCII = "up/down move  r restart  x stop  s start  +/- scale  l log  q quit";

    private final ControlClient client;
    private final Terminal terminal;
    private final Display display;
    private final boolean colors;
    private int selected;
    private String follow;
    private String message = "";
    /** The rows, as the runner listed them at the last redraw: name and id of each. */
    private List<Map<?, ?>> instances = List.of();

    private AttachedTable(ControlClient client, Terminal terminal) {
        this.client = client;
        this.terminal = terminal;
        Integer max = terminal.getNumericCapability(Capability.max_colors);
        this.colors = max != null && max >= 8;
        this.display = new Display(terminal, true);
    }

    /** The table on the process's terminal, or null when there is none JLine can drive. */
    public static AttachedTable open(ControlClient client) {
        try {
            Terminal t = TerminalBuilder.builder().system(true).dumb(false).provider("exec").nativeSignals(true)
                    .signalHandler(Terminal.SignalHandler.SIG_DFL).build();
            if (Terminal.TYPE_DUMB.equals(t.getType()) || Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
                t.close();
                return null;
            }
            return new AttachedTable(client, t);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Shows the table until {@code q} or Ctrl-C; the exit code ({@link ExitCodes#NO_RUNNER} when the runner went). */
    public int run() throws IOException {
        Attributes saved = terminal.enterRawMode();
        // Ctrl-C as a key, not a signal: the terminal is given back on the way out either way.
        Attributes raw = terminal.getAttributes();
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(raw);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        String gone = null;
        try {
            NonBlockingReader reader = terminal.reader();
            while (true) {
                try {
                    draw();
                } catch (RunnerException e) {
                    if (e.exitCode() == ExitCodes.NO_RUNNER) {
                        gone = e.getMessage();
                        return ExitCodes.NO_RUNNER;
                    }
                    message = e.getMessage();
                }
                int c = reader.read(1000);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    continue;
                }
                if (c < 0 || c == 'q' || c == 3) {
                    return ExitCodes.OK;
                }
                if (c == 27) {
                    int c2 = reader.read(50);
                    int c3 = c2 == '[' || c2 == 'O' ? reader.read(50) : -1;
                    key(c3 == 'A' ? 'k' : c3 == 'B' ? 'j' : 0);
                } else {
                    key((char) c);
                }
            }
        } finally {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
            terminal.close();
            if (gone != null) {
                System.err.println("tspm: " + gone);
            }
        }
    }

    private void draw() {
        Size size = terminal.getSize();
        int cols = Math.max(size.getColumns(), 20);
        int rows = Math.max(size.getRows(), 3);
        display.resize(rows, cols);
        instances = listing();
        selected = Math.max(0, Math.min(selected, instances.size() - 1));
        String table = client.get("/v1/processes?view=text" + (colors ? "&color=true" : "")).body();
        List<AttributedString> lines = new ArrayList<>();
        lines.add(styled("tspm monit · " + client.state() + " · " + LocalTime.now().withNano(0), AttributedStyle.BOLD));
        List<String> tableLines = table.lines().toList();
        for (int i = 0; i < tableLines.size(); i++) {
            boolean sel = i - 1 == selected && !instances.isEmpty();
            lines.add(AttributedString.fromAnsi((sel ? "> " : "  ") + tableLines.get(i)));
        }
        int logRows = rows - lines.size() - 3;
        if (logRows > 0) {
            lines.add(AttributedString.EMPTY);
            lines.add(styled("-- " + (follow == null ? "logs" : "log of " + follow + " (l: all)") + " "
                    + "-".repeat(Math.max(0, cols - 30)), AttributedStyle.DEFAULT.faint()));
            String path = "/v1/logs?lines=" + logRows + (follow == null ? "" : "&process=" + ControlClient.q(follow));
            client.get(path).body().lines().forEach(l -> lines.add(new AttributedString(l)));
        }
        while (lines.size() < rows - 1) {
            lines.add(AttributedString.EMPTY);
        }
        String help = (cols >= KEYS.length() ? KEYS : KEYS_ASCII) + (message.isEmpty() ? "" : "  · " + message);
        List<AttributedString> cut = new ArrayList<>(lines.subList(0, Math.min(lines.size(), rows - 1)));
        cut.add(styled(help, AttributedStyle.INVERSE));
        cut.replaceAll(l -> l.columnLength() > cols ? l.columnSubSequence(0, cols) : l);
        display.update(cut, -1);
        terminal.flush();
    }

    private List<Map<?, ?>> listing() {
        List<Map<?, ?>> out = new ArrayList<>();
        if (Json.parse(client.get("/v1/processes").body()) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private AttributedString styled(String s, AttributedStyle style) {
        return new AttributedStringBuilder().style(colors ? style : AttributedStyle.DEFAULT).append(s)
                .toAttributedString();
    }

    private void key(char c) {
        Map<?, ?> sel = instances.isEmpty() ? null : instances.get(Math.min(selected, instances.size() - 1));
        switch (c) {
            case 'k' -> selected = Math.max(0, selected - 1);
            case 'j' -> selected = Math.min(Math.max(0, instances.size() - 1), selected + 1);
            case 'l' -> {
                follow = follow == null && sel != null ? (String) sel.get("name") : null;
                message = follow == null ? "showing every process" : "following " + follow;
            }
            case 'r' -> act(sel, "restart");
            case 'x' -> act(sel, "stop");
            case 's' -> act(sel, "start");
            case '+', '=' -> scale(sel, 1);
            case '-', '_' -> scale(sel, -1);
            default -> {
                // Not a key of ours.
            }
        }
    }

    private void act(Map<?, ?> sel, String action) {
        if (sel == null) {
            return;
        }
        message = call("/v1/actions/" + action + "?target=" + ControlClient.q((String) sel.get("name"))
                + "&instance=" + sel.get("id"));
    }

    private void scale(Map<?, ?> sel, int by) {
        if (sel == null) {
            return;
        }
        String name = (String) sel.get("name");
        long n = Math.max(0, instances.stream().filter(i -> name.equals(i.get("name"))).count() + by);
        message = call("/v1/actions/scale?target=" + ControlClient.q(name) + "&instances=" + n);
    }

    /** POSTs {@code path}; what the runner answered, in words. */
    private String call(String path) {
        try {
            String m = Json.stringField(client.post(path).body(), "message");
            return m == null ? "done" : m;
        } catch (RunnerException e) {
            return "refused: " + e.getMessage();
        }
    }
}
