package io.tspm.examples.runner.ui;

import io.tspm.OutputLine;
import io.tspm.OutputStreamKind;
import io.tspm.Supervisor;
import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import io.tspm.examples.runner.server.LineTap;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The runner's output when it is not on a terminal (a pipe, a file, CI, the detached runner's log):
 * every line of every process behind its name ({@code web#0 | ...}, {@code web#0 ! ...} for
 * stderr) and the events that matter behind {@code tspm}, one line each, in order.
 */
public final class PlainOutput implements Screen {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;
    private final Supervisor supervisor;
    private final SupervisorListener events = this::onEvent;
    private final LineTap lines;

    /** Prints the events of {@code supervisor} to {@code out}, and its processes' lines when {@code withLines}. */
    public PlainOutput(Supervisor supervisor, PrintStream out, boolean withLines) {
        this.out = out;
        this.supervisor = supervisor;
        supervisor.addListener(events);
        lines = withLines ? new LineTap(supervisor, name -> true, this::onLine) : null;
    }

    private void onEvent(SupervisorEvent e) {
        String text = EventText.of(e);
        if (text != null) {
            print(LocalTime.ofInstant(e.time(), ZoneId.systemDefault()), "tspm", " | ", text);
        }
    }

    private void onLine(OutputLine l) {
        print(LocalTime.ofInstant(l.time(), ZoneId.systemDefault()), l.process() + "#" + l.instanceId(),
                l.stream() == OutputStreamKind.STDERR ? " ! " : " | ", l.text());
    }

    private synchronized void print(LocalTime time, String who, String sep, String text) {
        out.println(TIME.format(time) + " " + who + sep + text);
    }

    @Override
    public void notice(String text) {
        print(LocalTime.now(), "tspm", " | ", text);
    }

    @Override
    public void close() {
        supervisor.removeListener(events);
        if (lines != null) {
            lines.close();
        }
        out.flush();
    }
}
