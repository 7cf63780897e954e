package io.tspm;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One lifecycle hook: a command (argv, no shell), a shell line, or a Java {@link HookAction}, cut
 * off at its timeout. Command and shell hooks run in the instance's working directory with its
 * environment (instance id and port included), their output goes to the process's output marked
 * as the hook's, and a non-zero exit is a failure. Command and shell hooks are equal by value; a
 * callback hook equals only itself.
 */
public final class Hook {

    /** What a hook runs. */
    public enum Kind {
        /** An argv command. */
        COMMAND,
        /** A {@code /bin/sh -c} line. */
        SHELL,
        /** A Java callback. */
        CALLBACK
    }

    private final Kind kind;
    private final List<String> argv;
    private final HookAction action;
    private final Duration timeout;

    private Hook(Kind kind, List<String> argv, HookAction action, Duration timeout) {
        this.kind = kind;
        this.argv = argv;
        this.action = action;
        this.timeout = timeout;
    }

    /** A command hook (no shell), with the default timeout of the hook it becomes. */
    public static Hook command(String... argv) {
        Objects.requireNonNull(argv, "hook command");
        return new Hook(Kind.COMMAND, List.copyOf(Checks.argv("hook command", Arrays.asList(argv.clone()), true)),
                null, null);
    }

    /** A command hook (no shell). */
    public static Hook command(List<String> argv) {
        return new Hook(Kind.COMMAND, List.copyOf(Checks.argv("hook command", argv, true)), null, null);
    }

    /** A shell-line hook, run by {@code /bin/sh -c}. */
    public static Hook shell(String line) {
        Program.Shell checked = new Program.Shell(line);
        return new Hook(Kind.SHELL, List.of(checked.line()), null, null);
    }

    /** A Java hook. */
    public static Hook callback(HookAction action) {
        return new Hook(Kind.CALLBACK, List.of(), Objects.requireNonNull(action, "hook action"), null);
    }

    /** This hook cut off after {@code timeout} (a timeout is a failure). */
    public Hook withTimeout(Duration timeout) {
        return new Hook(kind, argv, action, Durations.positive("hook timeout", timeout));
    }

    public Kind kind() {
        return kind;
    }

    /** The argv of a command hook; the line (one element) of a shell hook; empty for a callback. */
    public List<String> argv() {
        return argv;
    }

    /** The callback of a callback hook, else null. */
    public HookAction action() {
        return action;
    }

    /** The timeout set on this hook, or null for the default of the hook it is (preStart 30 s, others 10 s). */
    public Duration timeout() {
        return timeout;
    }

    /** The timeout, or {@code fallback} when none was set. */
    public Duration timeoutOr(Duration fallback) {
        return timeout != null ? timeout : fallback;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Hook) || kind == Kind.CALLBACK) {
            return false;
        }
        Hook h = (Hook) o;
        return kind == h.kind && argv.equals(h.argv) && Objects.equals(timeout, h.timeout);
    }

    @Override
    public int hashCode() {
        return kind == Kind.CALLBACK ? System.identityHashCode(this) : Objects.hash(kind, argv, timeout);
    }

    @Override
    public String toString() {
        String what = kind == Kind.COMMAND ? "command " + argv : kind == Kind.SHELL ? "shell '" + argv.get(0) + "'"
                : "callback " + action;
        return what + (timeout == null ? "" : " (timeout " + Human.duration(timeout) + ")");
    }
}
