package io.tspm.junit;

import io.tspm.ExitRecord;
import io.tspm.InstanceState;
import io.tspm.OutputLine;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.Supervisor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One supervisor of helpers started for one scope (a test, a class, the whole run), and what a
 * failing test is told about it: each helper's last lines, and the crashes since a mark.
 * Closeable by the JUnit store too, as a safety net: closing twice does nothing.
 */
@SuppressWarnings("deprecation") // CloseableResource: JUnit 5 before 5.13 closes only those
final class HelperRun implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final Supervisor supervisor;
    private final String scope;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HelperRun(Supervisor supervisor, String scope) {
        this.supervisor = supervisor;
        this.scope = scope;
    }

    /**
     * Builds and starts the helpers; a start that fails closes what it started and throws a
     * {@link HelperFailedException} naming {@code scope}, with the failure as its cause.
     */
    static HelperRun start(List<ProcessSpec> specs, Consumer<Supervisor.Builder> configure, String name, String scope) {
        Supervisor.Builder b = Supervisor.builder().name(name);
        configure.accept(b);
        specs.forEach(b::addProcess);
        Supervisor s = b.build();
        try {
            s.start();
        } catch (RuntimeException e) {
            s.close();
            throw new HelperFailedException("the helpers of " + scope + " did not start: " + e.getMessage(), e);
        }
        return new HelperRun(s, scope);
    }

    /** A supervisor name from a test class's name: letters, digits, '.', '_' and '-', at most 64. */
    static String supervisorName(String from) {
        String cleaned = ("junit-" + from).replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    Supervisor supervisor() {
        return supervisor;
    }

    String scope() {
        return scope;
    }

    /**
     * Waits, up to the supervisor's start timeout, for every helper instance that is on its way
     * back (restarting after a crash, starting, or running but not ready) to be ready, so a test
     * never meets a helper a test before it crashed; throws a {@link HelperFailedException} naming
     * {@code test} and each helper that does not come back. Helpers a test stopped stay stopped.
     */
    void awaitComingBack(String test) {
        List<String> notBack = new ArrayList<>();
        forEachInstance(i -> {
            InstanceState state = i.state();
            boolean back = state == InstanceState.RUNNING && i.snapshot().ready();
            if (back || !state.isActive()) {
                return;
            }
            try {
                i.awaitReady();
            } catch (RuntimeException e) {
                StringBuilder sb = new StringBuilder("helper ").append(key(i)).append(" is not ready: ")
                        .append(e.getMessage());
                appendLines(sb, lines(i, 10));
                notBack.add(sb.toString());
            }
        });
        if (!notBack.isEmpty()) {
            throw new HelperFailedException("the helpers are not ready for " + test + ":\n" + String.join("\n", notBack));
        }
    }

    /** The last exit of every instance now, so that {@link #crashesSince} sees only later ones. */
    Map<String, ExitRecord> mark() {
        Map<String, ExitRecord> marks = new HashMap<>();
        forEachInstance(i -> {
            List<ExitRecord> h = i.exitHistory();
            marks.put(key(i), h.isEmpty() ? null : h.get(h.size() - 1));
        });
        return marks;
    }

    /**
     * Each helper instance that crashed (exited without being asked) after {@code marks}: its
     * name, each crash and the lines it printed before; empty when none did.
     */
    List<String> crashesSince(Map<String, ExitRecord> marks) {
        List<String> out = new ArrayList<>();
        forEachInstance(i -> {
            List<ExitRecord> h = i.exitHistory();
            ExitRecord last = marks.get(key(i));
            int from = last == null ? 0 : h.lastIndexOf(last) + 1; // -1 + 1: the mark fell out of the history
            for (ExitRecord r : h.subList(Math.min(from, h.size()), h.size())) {
                if (r.isCrash()) {
                    StringBuilder sb = new StringBuilder("helper ").append(key(i)).append(" crashed: ").append(r);
                    appendLines(sb, r.lastOutput());
                    out.add(sb.toString());
                }
            }
        });
        return out;
    }

    /** Each helper instance's state and last {@code lines} lines, one block per instance. */
    Map<String, String> lastLines(int lines) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        forEachInstance(i -> {
            StringBuilder sb = new StringBuilder().append(i.state());
            i.pid().ifPresent(p -> sb.append(", pid ").append(p));
            i.port().ifPresent(p -> sb.append(", port ").append(p));
            List<String> recent = lines(i, lines);
            sb.append(recent.isEmpty() ? ", no output" : ", last " + recent.size() + " lines:");
            appendLines(sb, recent);
            out.put(key(i), sb.toString());
        });
        return out;
    }

    /** The pids the helpers hold now (instances and the supervisor's orphan reaper). */
    Set<Long> pids() {
        Set<Long> pids = new HashSet<>();
        supervisor.reaperPid().ifPresent(pids::add);
        forEachInstance(i -> i.pid().ifPresent(pids::add));
        return pids;
    }

    /** The last lines, those of an earlier process marked with its pid (they may tell of one that is gone). */
    private static List<String> lines(ProcessInstance i, int n) {
        long now = i.pid().orElse(-1);
        List<String> out = new ArrayList<>();
        for (OutputLine l : i.recentLines(n)) {
            out.add(l.pid() == now ? l.text() : "(pid " + l.pid() + ", gone) " + l.text());
        }
        return out;
    }

    private void forEachInstance(Consumer<ProcessInstance> action) {
        for (ProcessGroup g : supervisor.groups()) {
            g.instances().forEach(action);
        }
    }

    private static String key(ProcessInstance i) {
        return i.processName() + "#" + i.id();
    }

    private static void appendLines(StringBuilder sb, List<String> lines) {
        for (String line : lines) {
            sb.append("\n  | ").append(line);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Stops the helpers, process trees and all; again does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            supervisor.close();
        }
    }
}
