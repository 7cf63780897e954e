package io.tspm.examples.runner.cli;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.server.Runner;
import io.tspm.examples.runner.server.RunnerOptions;
import io.tspm.examples.runner.ui.LiveTable;
import io.tspm.examples.runner.ui.PlainOutput;
import io.tspm.examples.runner.ui.ProcessTable;
import io.tspm.examples.runner.ui.Screen;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * The life of a runner in this JVM, for {@code run}, {@code dev} and the detached runner: open it,
 * show it (the live table on a terminal, plain lines elsewhere, events only when detached), start
 * its processes, wait for Ctrl-C, SIGTERM, {@code tspm kill} or the end of {@code --stop-after},
 * then stop everything. A second Ctrl-C stops at once, leaving the children to the supervisor's
 * reaper (SIGKILL). Returns the exit code.
 */
final class RunnerMain {

    /** What to show. */
    enum Show {
        /** The live table when both ends are a terminal, else every line and event. */
        INTERACTIVE,
        /** Every line and event, plain. */
        PLAIN,
        /** Events only: the detached runner's log. */
        EVENTS
    }

    private RunnerMain() {
    }

    static int run(RunnerOptions options, Show show, Duration stopAfter) throws Exception {
        PrintStream out = System.out;
        boolean live = show == Show.INTERACTIVE && System.console() != null;
        // The processes' lines are shown (or are in their log files) already: not again through SLF4J.
        System.setProperty("org.slf4j.simpleLogger.log.tspm", "off");
        if (live) {
            // Nothing may write over the live table: the library's own warnings go to the runner's log.
            options.state().create();
            System.setProperty("org.slf4j.simpleLogger.logFile", options.state().runnerLog().toString());
        }
        Runner runner = new Runner(options, System.err);
        runner.open();
        AtomicInteger signals = new AtomicInteger();
        Screen[] screen = new Screen[1];
        Runnable onSignal = () -> {
            if (signals.incrementAndGet() == 1) {
                if (screen[0] != null) {
                    screen[0].notice("stopping every process (Ctrl-C again to stop at once) ...");
                }
                runner.requestStop();
            } else {
                if (screen[0] != null) {
                    screen[0].close();
                }
                System.err.println("tspm: stopped at once; the supervisor's reaper kills what is left");
                try {
                    Files.deleteIfExists(runner.state().port());
                    Files.deleteIfExists(runner.state().pid());
                } catch (java.io.IOException ignored) {
                    // Best effort on the way out.
                }
                Runtime.getRuntime().halt(ExitCodes.FORCED);
            }
        };
        Runnable handleSignals = () -> {
            Signal.handle(new Signal("INT"), s -> onSignal.run());
            Signal.handle(new Signal("TERM"), s -> onSignal.run());
            // The terminal closed (a closed window, tmux kill-server): stop as for Ctrl-C, and clean up.
            Signal.handle(new Signal("HUP"), s -> onSignal.run());
        };
        handleSignals.run();
        String title = runner.configFile() == null ? "restored from " + runner.state().dump()
                : runner.configFile().getFileName().toString();
        if (live) {
            screen[0] = LiveTable.open(runner.supervisor(), title + " · api :" + runner.port(), runner::requestStop);
            // JLine's terminal sets SIGINT back to the JVM's default when it opens (which ends at once
            // with 130, leaving .tspm/port behind): ours again, so Ctrl-C stops cleanly on the table too.
            handleSignals.run();
        }
        if (screen[0] == null) {
            screen[0] = new PlainOutput(runner.supervisor(), out, show != Show.EVENTS);
            screen[0].notice("runner pid " + ProcessHandle.current().pid() + ", " + title + ", control API on 127.0.0.1:"
                    + runner.port() + ", state in " + runner.state());
        }
        String[] failure = new String[1];
        Thread starter = new Thread(() -> {
            try {
                runner.startProcesses();
                screen[0].notice("every process is started");
            } catch (RuntimeException e) {
                failure[0] = e.getMessage();
                runner.requestStop();
            }
        }, "tspm-start");
        starter.setDaemon(true);
        starter.start();
        if (stopAfter != null) {
            if (!runner.awaitStopRequest(stopAfter)) {
                screen[0].notice("--stop-after " + stopAfter.toSeconds() + " s: stopping every process ...");
                runner.requestStop();
            }
        }
        runner.awaitStopRequest();
        int code = runner.shutdown();
        starter.join(10_000);
        screen[0].close();
        if (screen[0] instanceof LiveTable table) {
            List<String> history = table.eventHistory();
            history.subList(Math.max(0, history.size() - 12), history.size()).forEach(out::println);
        }
        if (failure[0] != null && runner.phase() != Runner.Phase.RUNNING) {
            System.err.println("tspm: the start failed: " + failure[0]);
        }
        if (show != Show.EVENTS) {
            out.print(ProcessTable.render(runner.supervisor().snapshot(), System.console() != null));
        }
        out.println(code == ExitCodes.OK ? "tspm: every process stopped gracefully"
                : code == ExitCodes.NOT_GRACEFUL ? "tspm: stopped; " + runner.killedCount()
                        + " instance(s) had to be killed at their stop timeout"
                        : "tspm: stopped after a failed start");
        out.flush();
        return code;
    }
}
