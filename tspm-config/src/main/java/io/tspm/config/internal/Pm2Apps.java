package io.tspm.config.internal;

import io.tspm.Human;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a PM2 ecosystem ({@code {"apps": [...]}}, a top-level array of apps, a bare app, or
 * {@code apps} as one object) into the tree of our format, key by key, keeping every value's
 * position, so the one binder binds it and its errors point at the PM2 file's lines. PM2's
 * defaults apply where a migrating user expects them: kill_timeout 1600 ms, min_uptime 1 s,
 * max_restarts 16, autorestart true. Fields of PM2's schema we do not carry give a warning each;
 * a field PM2 does not know is an error with the nearest PM2 field.
 */
final class Pm2Apps {

    /** PM2 fields (from its lib/API/schema.json) that have no counterpart here: a warning each. */
    static final Set<String> NOT_CARRIED = Set.of("deploy", "vizion", "source_map_support", "treekill", "pmx",
            "automation", "force", "append_env_to_name", "disable_trace", "filter_env", "pid", "pid_file",
            "shutdown_with_message", "post_update", "trace", "disable_logs", "vizion_running", "windowsHide",
            "max_memory", "exec_mode", "kill_retry_time", "wait_ready_timeout", "namespace_id", "port",
            "uid", "gid", "user", "username", "node_version", "version", "ignoreWatch", "container", "dist",
            "docker_exit_on_failure", "docker_image", "restart_on_failure", "instance_id", "sourcemap_support",
            "appendEnvToName", "interpreterArgs", "nodeArgs", "watch_options", "increment_var_offset",
            "io", "broadcast_logs", "exec_interpreter_args", "pm_id", "status", "out_file_path");
    private static final List<String> KNOWN = List.of("name", "script", "exec", "args", "interpreter",
            "exec_interpreter", "interpreter_args", "node_args", "cwd", "instances", "env", "watch", "ignore_watch",
            "watch_delay", "max_memory_restart", "min_uptime", "max_restarts", "restart_delay",
            "exp_backoff_restart_delay", "autorestart", "autostart", "cron_restart", "cron", "kill_timeout",
            "listen_timeout", "wait_ready", "stop_exit_codes", "instance_var", "increment_var", "merge_logs",
            "combine_logs", "log_date_format", "out_file", "out", "output", "out_log", "error_file", "error", "err",
            "err_file", "log_file", "log", "time", "namespace", "log_type");

    private final Values values;

    Pm2Apps(Values values) {
        this.values = values;
    }

    /** Whether {@code root} is a PM2 ecosystem rather than our format. */
    static boolean isEcosystem(Node root) {
        if (root instanceof Node.ListNode) {
            return true;
        }
        if (root instanceof Node.MapNode) {
            Node.MapNode m = (Node.MapNode) root;
            return m.get("apps") != null || (m.get("processes") == null && (m.get("script") != null
                    || m.get("exec") != null));
        }
        return false;
    }

    /** Our tree for the ecosystem {@code root}. */
    Node.MapNode translate(Node root) {
        List<Node> apps = new ArrayList<>();
        if (root instanceof Node.ListNode) {
            apps.addAll(((Node.ListNode) root).items());
        } else {
            Node.MapNode m = (Node.MapNode) root;
            Node a = m.get("apps");
            if (a == null) {
                apps.add(m);
            } else if (a instanceof Node.ListNode) {
                apps.addAll(((Node.ListNode) a).items());
                for (Node.Entry e : m.entries().values()) {
                    if (!e.key().equals("apps")) {
                        values.problems().warn(e.keyMark(), e.key(), "PM2 field not carried: ignored");
                    }
                }
            } else {
                apps.add(a);
            }
        }
        List<Node> processes = new ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            Node app = apps.get(i);
            if (!(app instanceof Node.MapNode)) {
                values.wrong(app, "apps[" + i + "]", "a PM2 app: a mapping with a name and a script");
                continue;
            }
            processes.add(app((Node.MapNode) app, "apps[" + i + "]"));
        }
        Map<String, Node.Entry> top = new LinkedHashMap<>();
        top.put("processes", new Node.Entry("processes", root.mark(), new Node.ListNode(root.mark(), processes)));
        return new Node.MapNode(root.mark(), top);
    }

    private static Node.Scalar scalar(Node.Mark at, Object value) {
        return new Node.Scalar(at, String.valueOf(value), value);
    }

    private Node.MapNode app(Node.MapNode app, String path) {
        Map<String, Node.Entry> out = new LinkedHashMap<>();
        Map<String, Node.Entry> logs = new LinkedHashMap<>();
        Node.Mark at = app.mark();
        List<String> interpreterArgs = new ArrayList<>();
        Node interpreter = null;
        Node script = null;
        for (Node.Entry e : app.entries().values()) {
            String k = e.key();
            Node v = e.value();
            String p = path + "." + k;
            switch (k) {
                case "name":
                case "namespace":
                case "args":
                case "autostart":
                    put(out, k, e);
                    break;
                case "script":
                case "exec":
                    script = v;
                    break;
                case "interpreter":
                case "exec_interpreter":
                    interpreter = v;
                    break;
                case "interpreter_args":
                case "node_args":
                    List<String> a = values.strings(v, p);
                    if (a != null) {
                        a.forEach(s -> interpreterArgs.addAll(ProcessKeys.splitWords(s)));
                    }
                    break;
                case "cwd":
                    put(out, "workingDirectory", e);
                    break;
                case "instances":
                    put(out, "instances", new Node.Entry("instances", e.keyMark(), instances(v, p)));
                    break;
                case "env":
                    put(out, "env", e);
                    break;
                case "watch":
                    put(out, "watch", e);
                    break;
                case "ignore_watch":
                    put(out, "watchIgnore", e);
                    break;
                case "watch_delay":
                    put(out, "watchDebounce", e);
                    break;
                case "max_memory_restart":
                    put(out, "maxMemory", e);
                    break;
                case "min_uptime":
                    put(out, "minUptime", e);
                    break;
                case "max_restarts":
                    put(out, "maxRestarts", e);
                    break;
                case "restart_delay":
                    put(out, "minRestartDelay", e);
                    put(out, "maxRestartDelay", e);
                    put(out, "restartBackoff", new Node.Entry(k, e.keyMark(), scalar(v.mark(), 1.0)));
                    put(out, "restartJitter", new Node.Entry(k, e.keyMark(), scalar(v.mark(), 0.0)));
                    break;
                case "exp_backoff_restart_delay":
                    put(out, "minRestartDelay", e);
                    put(out, "restartBackoff", new Node.Entry(k, e.keyMark(), scalar(v.mark(), 1.5)));
                    put(out, "maxRestartDelay", new Node.Entry(k, e.keyMark(), scalar(v.mark(), "15s")));
                    break;
                case "autorestart":
                    values.bool(v, p).ifPresent(b -> put(out, "restart", new Node.Entry(k, e.keyMark(),
                            scalar(v.mark(), b ? "always" : "never"))));
                    break;
                case "cron_restart":
                case "cron":
                    put(out, "cronRestart", e);
                    break;
                case "kill_timeout":
                    put(out, "stopTimeout", e);
                    break;
                case "wait_ready":
                case "listen_timeout":
                    break; // below, together
                case "stop_exit_codes":
                    Node codes = v instanceof Node.ListNode ? v : new Node.ListNode(v.mark(), List.of(v));
                    put(out, "successExitCodes", new Node.Entry(k, e.keyMark(), codes));
                    break;
                case "instance_var":
                    put(out, "instanceVar", e);
                    break;
                case "increment_var":
                    put(out, "portVar", e);
                    break;
                case "merge_logs":
                case "combine_logs":
                    put(logs, "mergeInstances", e);
                    break;
                case "log_date_format":
                    values.string(v, p, "a date format such as 'YYYY-MM-DD HH:mm Z'").ifPresent(f -> put(logs,
                            "timestampFormat", new Node.Entry(k, e.keyMark(), scalar(v.mark(), momentToJava(f)))));
                    break;
                case "time":
                    put(logs, "timestamps", e);
                    break;
                case "log_type":
                    values.string(v, p, "json or raw").ifPresent(t -> put(logs, "json", new Node.Entry(k,
                            e.keyMark(), scalar(v.mark(), t.equals("json")))));
                    break;
                case "out_file":
                case "out":
                case "output":
                case "out_log":
                case "error_file":
                case "error":
                case "err":
                case "err_file":
                case "log_file":
                case "log":
                    values.string(v, p, "a file path").ifPresent(f -> {
                        java.nio.file.Path parent = java.nio.file.Path.of(f).getParent();
                        if (parent != null && !f.equals("/dev/null") && !logs.containsKey("directory")) {
                            put(logs, "directory", new Node.Entry(k, e.keyMark(), scalar(v.mark(), parent.toString())));
                        }
                        values.problems().warn(e.keyMark(), p, "log files are named after the process and instance"
                                + " (name-0.out.log, name-0.err.log) in " + (parent == null || f.equals("/dev/null")
                                ? "the supervisor's log directory" : parent) + "; the file name '" + f
                                + "' is not used");
                    });
                    break;
                default:
                    if (k.startsWith("env_") && k.length() > 4) {
                        put(out, k, e);
                    } else if (NOT_CARRIED.contains(k)) {
                        values.problems().warn(e.keyMark(), p, "PM2 field not carried: ignored"
                                + (k.equals("exec_mode") ? " (every instance is its own process; give them ports with"
                                + " increment_var or basePort)" : ""));
                    } else {
                        values.problems().error(e.keyMark(), p, "unknown PM2 field"
                                + Human.didYouMean(k, KNOWN));
                    }
            }
        }
        program(out, script, interpreter, interpreterArgs, app, path);
        readiness(out, app, path);
        portFromEnv(out, app, path);
        // PM2's defaults, where a migrating user expects them.
        putDefault(out, "stopTimeout", scalar(at, 1600L));
        putDefault(out, "minUptime", scalar(at, 1000L));
        putDefault(out, "maxRestarts", scalar(at, 16L));
        putDefault(out, "restart", scalar(at, out.containsKey("successExitCodes") ? "on-failure" : "always"));
        if (!logs.isEmpty()) {
            out.put("logs", new Node.Entry("logs", at, new Node.MapNode(at, logs)));
        }
        return new Node.MapNode(at, out);
    }

    private void program(Map<String, Node.Entry> out, Node script, Node interpreter, List<String> interpreterArgs,
            Node.MapNode app, String path) {
        if (script == null) {
            values.problems().error(app.mark(), path + ".script", "missing: a PM2 app needs a script");
            return;
        }
        String s = values.string(script, path + ".script", "a script path or command").orElse(null);
        if (s == null) {
            return;
        }
        String interp = interpreter == null ? null
                : values.string(interpreter, path + ".interpreter", "an interpreter such as node, or none").orElse(null);
        Node.Mark at = script.mark();
        if ("none".equals(interp)) {
            out.put("command", new Node.Entry("command", at, new Node.ListNode(at, List.of(scalar(at, s)))));
        } else if ((interp == null || interp.isEmpty()) && s.trim().contains(" ")) {
            out.put("shell", new Node.Entry("shell", at, scalar(at, s))); // PM2 runs such a script through a shell
        } else {
            out.put("script", new Node.Entry("script", at, scalar(at, s)));
            if (interp != null && !interp.isEmpty()) {
                List<Node> argv = new ArrayList<>();
                argv.add(scalar(interpreter.mark(), interp));
                interpreterArgs.forEach(a -> argv.add(scalar(interpreter.mark(), a)));
                out.put("interpreter", new Node.Entry("interpreter", interpreter.mark(),
                        new Node.ListNode(interpreter.mark(), argv)));
            } else if (!interpreterArgs.isEmpty()) {
                values.problems().warn(at, path + ".interpreter_args", "interpreter_args need an interpreter: set"
                        + " interpreter (node, python3, ...); ignored");
            }
        }
    }

    /** wait_ready (the app's process.send('ready')) becomes the ready-file signal: {@code touch "$TSPM_READY_FILE"}. */
    private void readiness(Map<String, Node.Entry> out, Node.MapNode app, String path) {
        Node wait = app.get("wait_ready");
        Node listen = app.get("listen_timeout");
        boolean waitReady = wait != null && values.bool(wait, path + ".wait_ready").orElse(false);
        if (!waitReady) {
            if (listen != null) {
                values.problems().warn(listen.mark(), path + ".listen_timeout", "only used with wait_ready: ignored");
            }
            return;
        }
        long timeoutMs = 3000;
        if (listen != null) {
            timeoutMs = values.duration(listen, path + ".listen_timeout").map(java.time.Duration::toMillis)
                    .orElse(3000L);
        }
        Node.Mark at = wait.mark();
        Map<String, Node.Entry> probe = new LinkedHashMap<>();
        probe.put("type", new Node.Entry("type", at, scalar(at, "readyFile")));
        probe.put("period", new Node.Entry("period", at, scalar(at, 100L)));
        probe.put("failureThreshold", new Node.Entry("failureThreshold", at,
                scalar(at, Math.max(1, timeoutMs / 100))));
        out.put("startupProbe", new Node.Entry("startupProbe", at, new Node.MapNode(at, probe)));
    }

    /** increment_var names a variable whose env value is instance 0's port: it becomes basePort. */
    private void portFromEnv(Map<String, Node.Entry> out, Node.MapNode app, String path) {
        Node var = app.get("increment_var");
        Node env = app.get("env");
        if (var == null || !(env instanceof Node.MapNode)) {
            return;
        }
        String name = values.string(var, path + ".increment_var", "a variable name").orElse(null);
        Node.MapNode envMap = (Node.MapNode) env;
        if (name == null || envMap.get(name) == null) {
            return;
        }
        out.put("basePort", new Node.Entry("basePort", envMap.entries().get(name).keyMark(), envMap.get(name)));
        Map<String, Node.Entry> rest = new LinkedHashMap<>(envMap.entries());
        rest.remove(name);
        out.put("env", new Node.Entry("env", out.get("env").keyMark(), new Node.MapNode(envMap.mark(), rest)));
    }

    private Node instances(Node v, String path) {
        Object value = v instanceof Node.Scalar ? ((Node.Scalar) v).value() : null;
        if (value instanceof String && ((String) value).trim().matches("-?\\d+")) {
            value = Long.parseLong(((String) value).trim());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (value instanceof Long && (Long) value <= 0) {
            long n = (Long) value == 0 ? cores : Math.max(1, cores + (Long) value); // PM2: 0 is max, -1 is cores - 1
            return scalar(v.mark(), n);
        }
        return value instanceof Long ? scalar(v.mark(), value) : v;
    }

    private static void put(Map<String, Node.Entry> out, String key, Node.Entry e) {
        out.put(key, new Node.Entry(key, e.keyMark(), e.value()));
    }

    private static void putDefault(Map<String, Node.Entry> out, String key, Node value) {
        out.putIfAbsent(key, new Node.Entry(key, value.mark(), value));
    }

    /** PM2's moment.js date format as a java.time pattern: YYYY-MM-DD HH:mm:ss.SSS Z. */
    static String momentToJava(String moment) {
        return moment.replace("YYYY", "yyyy").replace("YY", "yy").replace("DD", "dd").replace("Do", "d")
                .replace("A", "a").replace("ZZ", "XX").replace("Z", "XXX").replace("X", "X");
    }
}
