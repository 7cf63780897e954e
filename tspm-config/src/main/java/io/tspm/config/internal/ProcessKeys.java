package io.tspm.config.internal;

import io.tspm.Dependency;
import io.tspm.DependencyCondition;
import io.tspm.Hook;
import io.tspm.Human;
import io.tspm.LogSettings;
import io.tspm.MemoryLimitAction;
import io.tspm.ProbeKind;
import io.tspm.ProcessSpec;
import io.tspm.RestartMode;
import io.tspm.RestartPolicy;
import io.tspm.RestartStrategy;
import io.tspm.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The keys of a process: one row per setting of {@link ProcessSpec} (and of its restart policy,
 * probes, hooks and log settings), named in camelCase with the seed's names where it has one.
 * The binder, the writer and the JSON Schema all read this table.
 */
public final class ProcessKeys {

    /** The strategy the core uses when a spec names none (until ProcessSpec takes a load balancer). */
    public static final String DEFAULT_STRATEGY = "round-robin";
    /** The label the seed's {@code clusterGroup} becomes. */
    public static final String CLUSTER_GROUP_LABEL = "clusterGroup";

    private static final ProcessSpec DEFAULTS = ProcessSpec.builder("defaults").shell("true").build();
    private static final List<String> MODES = List.of("always", "on-failure", "never");
    private static final List<String> STRATEGIES = List.of("one-for-one", "one-for-all", "rest-for-one");
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    private ProcessKeys() {
    }

    /** The table. */
    public static KeyTable<SpecDraft, ProcessSpec> table() {
        return TABLE;
    }

    /** The log settings table ({@code logs:}). */
    public static KeyTable<LogSettings.Builder, LogSettings> logTable() {
        return LOGS;
    }

    private static Key<SpecDraft, ProcessSpec> key(String name, Map<String, Object> schema, String description,
            Key.Bind<SpecDraft> bind, Function<ProcessSpec, Object> write) {
        return Key.of(name, schema, description, bind, write);
    }

    private static <T> Object changed(T value, T byDefault, Function<T, Object> shown) {
        return value.equals(byDefault) ? null : shown.apply(value);
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String word) {
        return Enum.valueOf(type, word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static RestartPolicy basePolicy(ProcessSpec s) {
        return s.oneShot() ? RestartPolicy.never() : RestartPolicy.defaults();
    }

    private static Object restartChanged(ProcessSpec s, Function<RestartPolicy, Object> part,
            Function<Object, Object> shown) {
        Object v = part.apply(s.restartPolicy());
        return v.equals(part.apply(basePolicy(s))) ? null : shown.apply(v);
    }

    private static List<String> pathsOut(List<Path> paths) {
        List<String> out = new ArrayList<>();
        paths.forEach(p -> out.add(p.toString()));
        return out;
    }

    /** Splits a command line on spaces, keeping quoted parts ("a 'b c'" is [a, b c]). */
    static List<String> splitWords(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static Optional<List<String>> argvOrLine(Node n, String path, Values v) {
        if (n instanceof Node.Scalar && ((Node.Scalar) n).value() instanceof String) {
            return Optional.of(splitWords((String) ((Node.Scalar) n).value()));
        }
        return Optional.ofNullable(v.strings(n, path));
    }

    private static Hook hook(Node n, String path, Values v) {
        if (n instanceof Node.Scalar && ((Node.Scalar) n).value() instanceof String) {
            return Hook.shell((String) ((Node.Scalar) n).value());
        } else if (n instanceof Node.ListNode) {
            List<String> argv = v.strings(n, path);
            return argv == null ? null : Hook.command(argv);
        } else if (n instanceof Node.MapNode) {
            Node.MapNode m = (Node.MapNode) n;
            Hook h = null;
            for (Node.Entry e : m.entries().values()) {
                String at = path + "." + e.key();
                switch (e.key()) {
                    case "shell":
                        h = v.string(e.value(), at, "a shell line").map(Hook::shell).orElse(null);
                        break;
                    case "command":
                        List<String> argv = v.strings(e.value(), at);
                        h = argv == null ? null : Hook.command(argv);
                        break;
                    case "timeout":
                        break;
                    default:
                        v.problems().error(e.keyMark(), at, "unknown key of a hook"
                                + Human.didYouMean(e.key(), List.of("shell", "command", "timeout")));
                }
            }
            if (h == null && m.get("shell") == null && m.get("command") == null) {
                v.problems().error(m.mark(), path, "a hook needs shell (a line) or command (a list)");
                return null;
            }
            Node t = m.get("timeout");
            if (h != null && t != null) {
                Optional<Duration> d = v.duration(t, path + ".timeout");
                if (d.isPresent()) {
                    h = h.withTimeout(d.get());
                }
            }
            return h;
        }
        v.wrong(n, path, "a hook: a shell line, a command list, or a mapping with shell or command and timeout");
        return null;
    }

    private static Object writeHook(Optional<Hook> hook) {
        if (hook.isEmpty()) {
            return null;
        }
        Hook h = hook.get();
        if (h.kind() == Hook.Kind.CALLBACK) {
            throw new IllegalArgumentException("hook " + h + " is a Java callback, which a file cannot hold");
        }
        Object what = h.kind() == Hook.Kind.SHELL ? h.argv().get(0) : h.argv();
        if (h.timeout() == null) {
            return what;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(h.kind() == Hook.Kind.SHELL ? "shell" : "command", what);
        m.put("timeout", Units.duration(h.timeout()));
        return m;
    }

    private static void dependencies(SpecDraft d, Node n, String path, Values v) {
        List<Dependency> deps = new ArrayList<>();
        List<String> conditions = Arrays.asList("started", "ready", "completed");
        if (n instanceof Node.MapNode) {
            for (Node.Entry e : ((Node.MapNode) n).entries().values()) {
                v.choice(e.value(), path + "." + e.key(), conditions)
                        .ifPresent(c -> deps.add(new Dependency(e.key(), enumOf(DependencyCondition.class, c))));
            }
        } else {
            List<String> names = v.strings(n, path);
            if (names == null) {
                return;
            }
            names.forEach(name -> deps.add(new Dependency(name, DependencyCondition.READY)));
        }
        d.spec.dependencies(deps);
    }

    private static Object writeDependencies(ProcessSpec s) {
        if (s.dependencies().isEmpty()) {
            return null;
        }
        if (s.dependencies().stream().allMatch(dep -> dep.condition() == DependencyCondition.READY)) {
            return s.dependsOn();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        s.dependencies().forEach(dep -> m.put(dep.name(), word(dep.condition())));
        return m;
    }

    private static Key<SpecDraft, ProcessSpec> probeKey(String name, ProbeKind kind, String description) {
        return key(name, Shapes.ref("probeSettings"), description, (d, n, p, v) -> {
            io.tspm.ProbeSettings s = d.probes.settings(n, p, kind);
            if (s == null) {
                return;
            }
            if (kind == ProbeKind.STARTUP) {
                d.spec.startupProbe(s);
            } else if (kind == ProbeKind.READINESS) {
                d.spec.readinessProbe(s);
            } else {
                d.spec.livenessProbe(s);
            }
        }, s -> {
            Optional<io.tspm.ProbeSettings> ps = kind == ProbeKind.STARTUP ? s.startupProbe()
                    : kind == ProbeKind.READINESS ? s.readinessProbe() : s.livenessProbe();
            return ps.map(x -> (Object) d(x, kind)).orElse(null);
        });
    }

    private static Map<String, Object> d(io.tspm.ProbeSettings s, ProbeKind kind) {
        return new ProbeBinder(TypeRegistry.shared(), new Values(new Problems())).write(s, kind);
    }

    private static Key<SpecDraft, ProcessSpec> restartDuration(String name, String description,
            java.util.function.BiConsumer<RestartPolicy.Builder, Duration> set, Function<RestartPolicy, Object> get) {
        return key(name, Shapes.duration(), description, (d, n, p, v) -> v.duration(n, p)
                .ifPresent(x -> d.restart.add(b -> set.accept(b, x))),
                s -> restartChanged(s, get, x -> Units.duration((Duration) x)));
    }

    private static final KeyTable<LogSettings.Builder, LogSettings> LOGS = logs();

    private static KeyTable<LogSettings.Builder, LogSettings> logs() {
        LogSettings d = LogSettings.defaults();
        List<Key<LogSettings.Builder, LogSettings>> k = new ArrayList<>();
        k.add(Key.of("files", Shapes.bool(), "Whether lines go to files when a directory is known (default true).",
                (b, n, p, v) -> v.bool(n, p).ifPresent(b::files), s -> changed(s.files(), d.files(), x -> x)));
        k.add(Key.of("directory", Shapes.string(), "This process's log directory (default the supervisor's"
                + " logDirectory).", (b, n, p, v) -> v.string(n, p, "a directory").map(Path::of).ifPresent(b::directory),
                s -> s.directory().map(Path::toString).orElse(null)));
        k.add(Key.of("mergeInstances", Shapes.bool(), "One set of files for all instances (PM2's merge_logs).",
                (b, n, p, v) -> v.bool(n, p).ifPresent(b::mergeInstances),
                s -> changed(s.mergeInstances(), false, x -> x)));
        k.add(Key.of("combineStreams", Shapes.bool(), "stdout and stderr in one .log file.",
                (b, n, p, v) -> v.bool(n, p).ifPresent(b::combineStreams),
                s -> changed(s.combineStreams(), false, x -> x)));
        k.add(Key.of("timestamps", Shapes.bool(), "Whether lines get a timestamp prefix (default true).",
                (b, n, p, v) -> v.bool(n, p).ifPresent(t -> {
                    if (!t) {
                        b.noTimestamps();
                    }
                }), s -> s.timestampFormat().isEmpty() ? false : null));
        k.add(Key.of("timestampFormat", Shapes.string(), "A java.time DateTimeFormatter pattern for the prefix"
                + " (default yyyy-MM-dd'T'HH:mm:ss.SSSXXX).",
                (b, n, p, v) -> v.string(n, p, "a DateTimeFormatter pattern").ifPresent(b::timestampFormat),
                s -> s.timestampFormat().filter(f -> !f.equals(LogSettings.DEFAULT_TIMESTAMP_FORMAT)).orElse(null)));
        k.add(Key.of("json", Shapes.bool(), "Each line as a JSON object.", (b, n, p, v) -> v.bool(n, p)
                .ifPresent(b::json), s -> changed(s.json(), false, x -> x)));
        k.add(Key.of("maxFileSize", Shapes.size(), "Rotate a file at this size (default 10mb; plain numbers are"
                + " bytes).", (b, n, p, v) -> v.size(n, p).ifPresent(b::maxFileSize),
                s -> changed(s.maxFileSize(), d.maxFileSize(), Units::size)));
        k.add(Key.of("maxFiles", Shapes.integer(0, 1000), "Rotated files kept (default 5).",
                (b, n, p, v) -> v.integer(n, p, 0, 1000).ifPresent(b::maxFiles),
                s -> changed(s.maxFiles(), d.maxFiles(), x -> x)));
        k.add(Key.of("gzip", Shapes.bool(), "Gzip rotated files.", (b, n, p, v) -> v.bool(n, p).ifPresent(b::gzip),
                s -> changed(s.gzip(), false, x -> x)));
        k.add(Key.of("maxTotalSize", Shapes.size(), "Cap on all of the process's log files (default none).",
                (b, n, p, v) -> v.size(n, p).ifPresent(b::maxTotalSize),
                s -> changed(s.maxTotalSize(), 0L, Units::size)));
        k.add(Key.of("stdoutLevel", Shapes.choice(LEVELS), "SLF4J level of stdout lines, or off (default info).",
                (b, n, p, v) -> v.choice(n, p, LEVELS).ifPresent(l -> b.stdoutLevel(level(l))),
                s -> changed(s.stdoutLevel(), d.stdoutLevel(), ProcessKeys::levelWord)));
        k.add(Key.of("stderrLevel", Shapes.choice(LEVELS), "SLF4J level of stderr lines, or off (default warn).",
                (b, n, p, v) -> v.choice(n, p, LEVELS).ifPresent(l -> b.stderrLevel(level(l))),
                s -> changed(s.stderrLevel(), d.stderrLevel(), ProcessKeys::levelWord)));
        k.add(Key.of("recentLines", Shapes.integer(1, 1_000_000), "Lines kept in memory per instance (default"
                + " 1000).", (b, n, p, v) -> v.integer(n, p, 1, 1_000_000).ifPresent(b::recentLines),
                s -> changed(s.recentLines(), d.recentLines(), x -> x)));
        k.add(Key.of("maxLineLength", Shapes.size(), "Longer lines are split (default 64kb).",
                (b, n, p, v) -> v.size(n, p).ifPresent(x -> b.maxLineLength((int) Math.min(Integer.MAX_VALUE, x))),
                s -> changed(s.maxLineLength(), d.maxLineLength(), x -> Units.size(x))));
        return new KeyTable<>(k);
    }

    private static org.slf4j.event.Level level(String word) {
        return word.equals("off") ? null : org.slf4j.event.Level.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static Object levelWord(Optional<org.slf4j.event.Level> l) {
        return l.map(x -> x.name().toLowerCase(Locale.ROOT)).orElse("off");
    }

    private static final KeyTable<SpecDraft, ProcessSpec> TABLE = build();

    private static KeyTable<SpecDraft, ProcessSpec> build() {
        ProcessSpec d = DEFAULTS;
        List<Key<SpecDraft, ProcessSpec>> k = new ArrayList<>();
        k.add(key("name", Shapes.of("type", "string", "pattern", "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"),
                "The process name (required).", (x, n, p, v) -> { }, ProcessSpec::name));
        k.add(key("namespace", Shapes.string(), "The namespace it belongs to (default 'default').",
                (x, n, p, v) -> v.string(n, p, "a namespace name").ifPresent(x.spec::namespace),
                s -> changed(s.namespace(), ProcessSpec.DEFAULT_NAMESPACE, y -> y)));
        k.add(key("labels", Shapes.stringMap(), "Labels, for selectors and snapshots.",
                (x, n, p, v) -> Optional.ofNullable(v.stringMap(n, p)).ifPresent(m -> m.forEach(x.spec::label)),
                s -> s.labels().isEmpty() ? null : s.labels()));
        k.add(key("clusterGroup", Shapes.string(), "The seed's cluster group: becomes the label clusterGroup.",
                (x, n, p, v) -> v.text(n, p).ifPresent(g -> x.spec.label(CLUSTER_GROUP_LABEL, g)), null));
        k.add(key("command", Shapes.of("type", "array", "items", Shapes.string(), "minItems", 1),
                "The program and its arguments, run without a shell.", (x, n, p, v) -> {
                    if (n instanceof Node.Scalar && ((Node.Scalar) n).value() instanceof String
                            && ((String) ((Node.Scalar) n).value()).trim().contains(" ")) {
                        v.wrong(n, p, "a list such as [java, -jar, app.jar] (for a command line, use shell)");
                        return;
                    }
                    Optional.ofNullable(v.strings(n, p)).ifPresent(x.spec::command);
                }, s -> s.command().isEmpty() ? null : s.command()));
        k.add(key("script", Shapes.string(), "A script, its interpreter from the extension (.sh, .js, .py, .jar,"
                + " .java) unless interpreter is set.", (x, n, p, v) -> v.string(n, p, "a script path")
                .ifPresent(sc -> x.spec.script(Path.of(sc))), s -> s.script().map(Path::toString).orElse(null)));
        k.add(key("interpreter", Shapes.strings(), "The interpreter of the script and its options.",
                (x, n, p, v) -> argvOrLine(n, p, v).ifPresent(x.spec::interpreter),
                s -> s.program() instanceof io.tspm.Program.Script
                        && !((io.tspm.Program.Script) s.program()).interpreter().isEmpty()
                        ? ((io.tspm.Program.Script) s.program()).interpreter() : null));
        k.add(key("shell", Shapes.string(), "A command line run by /bin/sh -c.",
                (x, n, p, v) -> v.string(n, p, "a command line").ifPresent(x.spec::shell),
                s -> s.shell().orElse(null)));
        k.add(key("args", Shapes.strings(), "Arguments after the command or script (a string is split on spaces).",
                (x, n, p, v) -> argvOrLine(n, p, v).ifPresent(x.spec::args), s -> s.args().isEmpty() ? null : s.args()));
        k.add(key("workingDirectory", Shapes.string(), "The working directory (default the host JVM's).",
                (x, n, p, v) -> v.string(n, p, "a directory").ifPresent(w -> x.spec.workingDirectory(Path.of(w))),
                s -> s.workingDirectory().map(Path::toString).orElse(null)).alias("cwd"));
        k.add(key("env", Shapes.stringMap(), "Variables set for the child.",
                (x, n, p, v) -> Optional.ofNullable(v.stringMap(n, p)).ifPresent(m -> m.forEach(x.spec::env)),
                s -> s.environment().isEmpty() ? null : s.environment()));
        k.add(key("inheritEnvironment", Shapes.bool(), "Whether the child starts from the host's environment"
                + " (default true).", (x, n, p, v) -> v.bool(n, p).ifPresent(x.spec::inheritEnvironment),
                s -> changed(s.inheritEnvironment(), true, y -> y)));
        k.add(key("removeEnv", Shapes.strings(), "Inherited variables removed for the child.",
                (x, n, p, v) -> Optional.ofNullable(v.strings(n, p)).ifPresent(l -> l.forEach(x.spec::removeEnv)),
                s -> s.removedEnvironment().isEmpty() ? null : new ArrayList<>(s.removedEnvironment())));
        k.add(key("envFile", Shapes.string(), "A dotenv file read at every spawn.",
                (x, n, p, v) -> v.string(n, p, "a file").ifPresent(f -> x.spec.envFile(Path.of(f))),
                s -> s.envFile().map(Path::toString).orElse(null)));
        k.add(key("instances", Shapes.anyOf(Shapes.integer(0, 10_000), Shapes.choice(List.of("max"))),
                "How many instances run (default 1; max: one per CPU core).", (x, n, p, v) -> {
                    if (n instanceof Node.Scalar && "max".equals(((Node.Scalar) n).value())) {
                        x.spec.instances(Runtime.getRuntime().availableProcessors());
                        return;
                    }
                    if (n instanceof Node.Scalar && ((Node.Scalar) n).value() instanceof String
                            && !((String) ((Node.Scalar) n).value()).trim().matches("-?\\d+")) {
                        v.wrong(n, p, "a whole number in 0..10000 or 'max'");
                        return;
                    }
                    v.integer(n, p, 0, 10_000).ifPresent(x.spec::instances);
                }, s -> changed(s.instances(), 1, y -> y)));
        k.add(key("instanceVar", Shapes.string(), "The variable holding the instance id (default TSPM_INSTANCE_ID).",
                (x, n, p, v) -> v.string(n, p, "a variable name").ifPresent(x.spec::instanceVar),
                s -> changed(s.instanceVar(), ProcessSpec.DEFAULT_INSTANCE_VAR, y -> y)));
        k.add(key("basePort", Shapes.integer(1, 65535), "Instance i gets the port basePort + i.",
                (x, n, p, v) -> v.integer(n, p, 1, 65535).ifPresent(port -> {
                    x.spec.basePort(port);
                    x.basePort = true;
                }), s -> s.basePort().isPresent() ? s.basePort().getAsInt() : null));
        k.add(key("freePorts", Shapes.bool(), "Each instance gets a port that was free when it started, instead of"
                + " basePort + i.", (x, n, p, v) -> v.bool(n, p).ifPresent(on -> {
                    if (on) {
                        x.spec.freePorts();
                        x.basePort = true;
                    }
                }), s -> s.freePorts() ? Boolean.TRUE : null));
        k.add(key("portVar", Shapes.string(), "The variable holding the instance's port (default PORT).",
                (x, n, p, v) -> v.string(n, p, "a variable name").ifPresent(x.spec::portVar),
                s -> changed(s.portVar(), ProcessSpec.DEFAULT_PORT_VAR, y -> y)));
        k.add(key("reloadPortSpan", Shapes.integer(1, 10_000), "Distance between a slot's two ports in a reload"
                + " (default the instance count).", (x, n, p, v) -> v.integer(n, p, 1, 10_000)
                .ifPresent(x.spec::reloadPortSpan),
                s -> s.instanceSettings().reloadPortSpanSet() ? s.reloadPortSpan() : null));
        k.add(key("nice", Shapes.integer(-20, 19), "Scheduling priority, -20..19 (default 0).",
                (x, n, p, v) -> v.integer(n, p, -20, 19).ifPresent(x.spec::nice), s -> changed(s.nice(), 0, y -> y)));
        k.add(key("user", Shapes.string(), "Run as this user (a name or id).",
                (x, n, p, v) -> v.text(n, p).ifPresent(u -> x.user = u),
                s -> s.user().orElse(null)));
        k.add(key("group", Shapes.string(), "Run as this group, with user.",
                (x, n, p, v) -> v.text(n, p).ifPresent(g -> x.group = g),
                s -> s.group().orElse(null)));
        k.add(key("autostart", Shapes.bool(), "Whether the supervisor's start() starts it (default true).",
                (x, n, p, v) -> v.bool(n, p).ifPresent(x.spec::autostart), s -> changed(s.autostart(), true, y -> y)));
        k.add(key("oneShot", Shapes.bool(), "A task that runs to completion (exit 0) and is never restarted after"
                + " success.", (x, n, p, v) -> v.bool(n, p).ifPresent(o -> {
                    x.spec.oneShot(o);
                    x.oneShot = o;
                }), s -> changed(s.oneShot(), false, y -> y)));
        k.add(key("stopSignal", Shapes.choice(List.of("HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM",
                "SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM")),
                "The signal that asks the tree to stop (default SIGTERM).",
                (x, n, p, v) -> v.string(n, p, "a signal such as SIGTERM").map(Signal::parse)
                        .ifPresent(x.spec::stopSignal), s -> changed(s.stopSignal(), Signal.TERM, Signal::toString)));
        k.add(key("stopTimeout", Shapes.duration(), "How long a stop waits before SIGKILL (default 5s; numbers are"
                + " ms).", (x, n, p, v) -> v.duration(n, p).ifPresent(x.spec::stopTimeout),
                s -> changed(s.stopTimeout(), ProcessSpec.DEFAULT_STOP_TIMEOUT, Units::duration)));
        k.add(key("dependsOn", Shapes.anyOf(Shapes.strings(), Shapes.of("type", "object", "additionalProperties",
                Shapes.choice(List.of("started", "ready", "completed")))),
                "Processes this one needs: names (waited for until ready), or name: started|ready|completed.",
                ProcessKeys::dependencies, ProcessKeys::writeDependencies));
        k.add(key("restart", Shapes.choice(MODES), "When to restart: always, on-failure (default), never.",
                (x, n, p, v) -> v.choice(n, p, MODES).ifPresent(m -> x.restart.add(b -> b.mode(enumOf(RestartMode.class,
                        m)))), s -> restartChanged(s, RestartPolicy::mode, m -> word((RestartMode) m))));
        k.add(key("successExitCodes", Shapes.of("type", "array", "items", Shapes.integer(0, 255)),
                "Exit codes that count as success (default [0]).", (x, n, p, v) -> {
                    if (!(n instanceof Node.ListNode)) {
                        v.wrong(n, p, "a list of exit codes 0..255");
                        return;
                    }
                    List<Node> items = ((Node.ListNode) n).items();
                    int[] codes = new int[items.size()];
                    for (int i = 0; i < codes.length; i++) {
                        codes[i] = v.integer(items.get(i), p + "[" + i + "]", 0, 255).orElse(0);
                    }
                    x.restart.add(b -> b.successExitCodes(codes));
                }, s -> restartChanged(s, RestartPolicy::successExitCodes,
                        c -> new ArrayList<>(new java.util.TreeSet<>((java.util.Set<?>) c)))));
        k.add(restartDuration("minRestartDelay", "The delay before the first restart of a failing streak (default"
                + " 100ms).", RestartPolicy.Builder::initialDelay, RestartPolicy::initialDelay));
        k.add(restartDuration("maxRestartDelay", "The longest restart delay (default 30s).",
                RestartPolicy.Builder::maxDelay, RestartPolicy::maxDelay));
        k.add(key("restartBackoff", Shapes.number(1, 1000), "What each consecutive failure multiplies the delay by"
                + " (default 2; 1 is a fixed delay).", (x, n, p, v) -> v.number(n, p)
                .ifPresent(m -> x.restart.add(b -> b.multiplier(m))),
                s -> restartChanged(s, RestartPolicy::multiplier, m -> m)));
        k.add(key("restartJitter", Shapes.number(0, 1), "Spread of each delay, a fraction (default 0.1).",
                (x, n, p, v) -> v.number(n, p).ifPresent(j -> x.restart.add(b -> b.jitter(j))),
                s -> restartChanged(s, RestartPolicy::jitter, j -> j)));
        k.add(restartDuration("minUptime", "A run this long was healthy and resets the backoff (default 10s).",
                RestartPolicy.Builder::minUptime, RestartPolicy::minUptime));
        k.add(key("maxRestarts", Shapes.anyOf(Shapes.integer(0, Integer.MAX_VALUE - 1),
                Shapes.choice(List.of("unlimited"))), "Most restarts inside restartWindow before giving up (default 5;"
                + " unlimited for no limit).", (x, n, p, v) -> {
                    if (n instanceof Node.Scalar && "unlimited".equals(((Node.Scalar) n).value())) {
                        x.unlimitedRestarts = true;
                        return;
                    }
                    v.integer(n, p, 0, Integer.MAX_VALUE - 1).ifPresent(m -> x.maxRestarts = m);
                }, s -> restartChanged(s, RestartPolicy::maxRestarts,
                        m -> (Integer) m == Integer.MAX_VALUE ? "unlimited" : m)));
        k.add(key("restartWindow", Shapes.duration(), "The sliding window maxRestarts counts in (default 1m).",
                (x, n, p, v) -> v.duration(n, p).ifPresent(w -> x.restartWindow = w),
                s -> s.restartPolicy().maxRestarts() == Integer.MAX_VALUE ? null
                        : restartChanged(s, RestartPolicy::window, w -> Units.duration((Duration) w))));
        k.add(key("restartStrategy", Shapes.choice(STRATEGIES), "What else restarts with an instance: one-for-one"
                + " (default), one-for-all, rest-for-one.", (x, n, p, v) -> v.choice(n, p, STRATEGIES)
                .ifPresent(m -> x.spec.restartStrategy(enumOf(RestartStrategy.class, m))),
                s -> changed(s.restartStrategy(), RestartStrategy.ONE_FOR_ONE, ProcessKeys::word)));
        k.add(key("readyAfter", Shapes.duration(), "Without a readiness probe, how long it must stay up to be"
                + " RUNNING (default 100ms).", (x, n, p, v) -> v.duration(n, p).ifPresent(x.spec::readyAfter),
                s -> changed(s.readyAfter(), s.oneShot() ? Duration.ZERO : ProcessSpec.DEFAULT_READY_AFTER,
                        Units::duration)));
        k.add(key("exitHistorySize", Shapes.integer(1, 100_000), "Exits kept per instance (default 100).",
                (x, n, p, v) -> v.integer(n, p, 1, 100_000).ifPresent(x.spec::exitHistorySize),
                s -> changed(s.exitHistorySize(), d.exitHistorySize(), y -> y)));
        k.add(key("cronRestart", Shapes.string(), "Restart running instances at these times (5-field cron).",
                (x, n, p, v) -> v.string(n, p, "a cron expression such as '0 3 * * *'").ifPresent(x.spec::cronRestart),
                s -> s.cronRestart().map(Object::toString).orElse(null)));
        k.add(key("captureOutput", Shapes.bool(), "Whether output is read (default true).",
                (x, n, p, v) -> v.bool(n, p).ifPresent(x.spec::captureOutput),
                s -> changed(s.captureOutput(), true, y -> y)));
        k.add(key("mergeStderr", Shapes.bool(), "Merge stderr into stdout (one pipe).",
                (x, n, p, v) -> v.bool(n, p).ifPresent(x.spec::mergeStderr), s -> changed(s.mergeStderr(), false,
                        y -> y)));
        k.add(key("logs", Shapes.ref("logs"), "Where output lines go: files, rotation, SLF4J levels.",
                (x, n, p, v) -> {
                    if (!(n instanceof Node.MapNode)) {
                        v.wrong(n, p, "a mapping of log settings");
                        return;
                    }
                    LOGS.bind(x.logs(), (Node.MapNode) n, p, v, key -> false);
                }, s -> {
                    Map<String, Object> m = LOGS.write(s.logs());
                    return m.isEmpty() ? null : m;
                }));
        k.add(probeKey("startupProbe", ProbeKind.STARTUP, "Gates the other probes; failing it fails the start."));
        k.add(probeKey("readinessProbe", ProbeKind.READINESS, "Decides RUNNING and what load balancing picks."));
        k.add(probeKey("livenessProbe", ProbeKind.LIVENESS, "Failing it restarts the instance."));
        k.add(key("healthCheck", Shapes.ref("healthCheck"), "The seed's health check: becomes a readiness and a"
                + " liveness probe (see the README).", (x, n, p, v) -> {
                    x.healthCheck = n;
                    x.healthCheckPath = p;
                }, null));
        k.add(key("lbStrategy", Shapes.anyOf(Shapes.string(), Shapes.of("type", "object")), "The load-balancing"
                + " strategy by name (default round-robin), or {type: name, ...its settings}.",
                (x, n, p, v) -> LoadBalancing.bind(x, n, p, v), s -> LoadBalancing.write(s.loadBalancer())));
        k.add(key("weights", Shapes.of("type", "array", "items", Shapes.integer(1, 1_000_000)), "The weight of each"
                + " instance by id for weighted strategies (default 1 each).", (x, n, p, v) -> {
                    if (!(n instanceof Node.ListNode)) {
                        v.wrong(n, p, "a list of whole numbers, one per instance");
                        return;
                    }
                    List<Node> items = ((Node.ListNode) n).items();
                    List<Integer> weights = new ArrayList<>();
                    for (int i = 0; i < items.size(); i++) {
                        OptionalInt w = v.integer(items.get(i), p + "[" + i + "]", 1, 1_000_000);
                        if (w.isEmpty()) {
                            return;
                        }
                        weights.add(w.getAsInt());
                    }
                    x.spec.weights(weights);
                }, s -> s.traffic().weights().isEmpty() ? null : s.traffic().weights()));
        k.add(key("panicThreshold", Shapes.number(0, 1), "Below this share of ready instances, pick among every"
                + " live one (default 0: off).", (x, n, p, v) -> {
                    OptionalDouble t = v.number(n, p);
                    if (t.isPresent() && (t.getAsDouble() < 0 || t.getAsDouble() > 1)) {
                        v.wrong(n, p, "a share of the instances, 0..1");
                    } else {
                        t.ifPresent(x.spec::panicThreshold);
                    }
                }, s -> changed(s.traffic().panicThreshold(), 0.0, y -> y)));
        k.add(key("proxyPort", Shapes.integer(1, 65535), "A TCP proxy on this port in front of the instances.",
                (x, n, p, v) -> v.integer(n, p, 1, 65535).ifPresent(x.spec::proxyPort),
                s -> s.proxyPort().isPresent() ? s.proxyPort().getAsInt() : null));
        k.add(key("maxMemory", Shapes.size(), "Restart an instance whose tree stays above this (512mb, 1gb; numbers"
                + " are bytes).", (x, n, p, v) -> v.size(n, p).ifPresent(x.spec::maxMemory),
                s -> s.maxMemory().isPresent() ? Units.size(s.maxMemory().getAsLong()) : null));
        k.add(key("memoryLimitSamples", Shapes.integer(1, 1000), "Samples in a row over maxMemory before acting"
                + " (default 3).", (x, n, p, v) -> v.integer(n, p, 1, 1000).ifPresent(x.spec::memoryLimitSamples),
                s -> changed(s.memoryLimitSamples(), 3, y -> y)));
        k.add(key("memoryLimitAction", Shapes.choice(List.of("restart", "reload")), "Restart (default) or reload an"
                + " instance over its limit.", (x, n, p, v) -> v.choice(n, p, List.of("restart", "reload"))
                .ifPresent(a -> x.spec.memoryLimitAction(enumOf(MemoryLimitAction.class, a))),
                s -> changed(s.memoryLimitAction(), MemoryLimitAction.RESTART, ProcessKeys::word)));
        k.add(key("memoryWarningRatio", Shapes.number(0, 1), "Share of maxMemory that warns first (default 0.8).",
                (x, n, p, v) -> v.number(n, p).ifPresent(x.spec::memoryWarningRatio),
                s -> changed(s.memoryWarningRatio(), 0.8, y -> y)));
        k.add(key("watch", Shapes.anyOf(Shapes.bool(), Shapes.strings()), "Paths watched for changes that restart"
                + " (true: the working directory).", (x, n, p, v) -> {
                    if (n instanceof Node.Scalar && ((Node.Scalar) n).value() instanceof Boolean) {
                        if ((Boolean) ((Node.Scalar) n).value()) {
                            x.spec.watch(Path.of("."));
                        } else {
                            x.spec.clearWatch();
                        }
                        return;
                    }
                    List<String> paths = v.strings(n, p);
                    if (paths != null) {
                        List<Path> out = new ArrayList<>();
                        paths.forEach(w -> out.add(Path.of(w)));
                        x.spec.watch(out);
                    }
                }, s -> s.watchPaths().isEmpty() ? null : pathsOut(s.watchPaths())));
        k.add(key("watchIgnore", Shapes.strings(), "Glob patterns of changes the watch ignores.",
                (x, n, p, v) -> Optional.ofNullable(v.strings(n, p)).ifPresent(x.spec::watchIgnore),
                s -> s.watchIgnore().isEmpty() ? null : s.watchIgnore()));
        k.add(key("watchDebounce", Shapes.duration(), "Quiet time before a watch restart (default 500ms).",
                (x, n, p, v) -> v.duration(n, p).ifPresent(x.spec::watchDebounce),
                s -> changed(s.watchDebounce(), d.watchDebounce(), Units::duration)));
        k.add(key("reloadBatch", Shapes.integer(1, 10_000), "Instances a rolling reload replaces at a time"
                + " (default 1).", (x, n, p, v) -> v.integer(n, p, 1, 10_000).ifPresent(x.spec::reloadBatch),
                s -> changed(s.reloadBatch(), 1, y -> y)));
        k.add(key("reloadTimeout", Shapes.duration(), "How long a replacement may take to be ready (default 60s).",
                (x, n, p, v) -> v.duration(n, p).ifPresent(x.spec::reloadTimeout),
                s -> changed(s.reloadTimeout(), d.reloadTimeout(), Units::duration)));
        k.add(key("reloadDrain", Shapes.duration(), "How long an old instance runs on after its replacement took"
                + " over (default 1s).", (x, n, p, v) -> v.duration(n, p).ifPresent(x.spec::reloadDrain),
                s -> changed(s.reloadDrain(), d.reloadDrain(), Units::duration)));
        for (String hook : List.of("preStart", "postStart", "preStop", "postStop")) {
            k.add(key(hook, Shapes.ref("hook"), "A lifecycle hook: a shell line, a command list, or {shell|command,"
                    + " timeout}.", (x, n, p, v) -> {
                        Hook h = hook(n, p, v);
                        if (h == null) {
                            return;
                        }
                        switch (hook) {
                            case "preStart":
                                x.spec.preStart(h);
                                break;
                            case "postStart":
                                x.spec.postStart(h);
                                break;
                            case "preStop":
                                x.spec.preStop(h);
                                break;
                            default:
                                x.spec.postStop(h);
                        }
                    }, s -> writeHook(hook.equals("preStart") ? s.hooks().preStart() : hook.equals("postStart")
                            ? s.hooks().postStart() : hook.equals("preStop") ? s.hooks().preStop()
                            : s.hooks().postStop())));
        }
        return new KeyTable<>(k);
    }
}
