package io.tspm.examples.runner.cli;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.RunnerException;
import io.tspm.examples.runner.client.ControlClient;
import io.tspm.examples.runner.client.Json;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that drive a running runner over its control API, in PM2's words. Each is a small
 * class of picocli's; they hold strings and numbers only, so parsing them loads nothing of the
 * supervisor.
 */
public final class ClientCommands {

    private ClientCommands() {
    }

    /** {@code tspm list}: the table of instances. */
    @Command(name = "list", aliases = {"ls", "status"}, mixinStandardHelpOptions = true,
            description = "Lists every instance: name, id, status, pid, port, restarts, CPU, memory, uptime, ready.")
    public static final class ListCommand extends ClientCommand {
        @Option(names = "--json", description = "The instances as a JSON array (as jlist).")
        boolean json;

        @Override
        public Integer call() {
            ControlClient c = client();
            return print(json ? c.get("/v1/processes").body()
                    : c.get("/v1/processes?view=text" + (onTerminal() ? "&color=true" : "")).body());
        }
    }

    /** {@code tspm jlist}: the instances as JSON. */
    @Command(name = "jlist", mixinStandardHelpOptions = true, description = "Prints every instance as a JSON array.")
    public static final class Jlist extends ClientCommand {
        @Override
        public Integer call() {
            return print(client().get("/v1/processes").body());
        }
    }

    /** {@code tspm describe web}. */
    @Command(name = "describe", aliases = "show", mixinStandardHelpOptions = true,
            description = "Describes one process: its spec, each instance, its probes and last exits.")
    public static final class Describe extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "The process.")
        String name;

        @Option(names = "--json", description = "As JSON.")
        boolean json;

        @Override
        public Integer call() {
            String path = "/v1/processes/" + ControlClient.q(name).replace("+", "%20");
            return print(client().get(path + (json ? "" : "?view=text")).body());
        }
    }

    /** {@code tspm logs [name] [--lines N] [--follow] [--err|--out]}. */
    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "Prints the last lines of a process (or of every process), and follows them.")
    public static final class Logs extends ClientCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "A process, namespace or selector (default all).")
        String name;

        @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many lines (default ${DEFAULT-VALUE}).",
                defaultValue = "15")
        int lines;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C.")
        boolean follow;

        @Option(names = "--err", description = "Only stderr.")
        boolean err;

        @Option(names = "--out", description = "Only stdout.")
        boolean out;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        @Override
        public Integer call() {
            if (err && out) {
                throw new RunnerException(ExitCodes.USAGE, "--err and --out exclude each other");
            }
            StringBuilder path = new StringBuilder("/v1/logs?lines=").append(lines);
            if (name != null) {
                path.append("&process=").append(ControlClient.q(name));
            }
            if (err || out) {
                path.append("&stream=").append(err ? "err" : "out");
            }
            if (json) {
                path.append("&format=json");
            }
            ControlClient c = client();
            if (!follow) {
                return print(c.get(path.toString()).body());
            }
            OutputStream stdout = new FileOutputStream(FileDescriptor.out);
            c.stream(path.append("&follow=true").toString(), stdout);
            return ExitCodes.OK;
        }
    }

    /** The commands that take a target: a name, {@code all}, a namespace or a label selector. */
    abstract static class TargetAction extends ClientCommand {
        abstract String action();

        abstract String target();

        @Override
        public Integer call() {
            String reply = client().post("/v1/actions/" + action() + "?target=" + ControlClient.q(target())).body();
            return print(Optional.ofNullable(Json.stringField(reply, "message")).orElse(reply));
        }
    }

    /**
     * A target that must be named, as PM2 has it: a slip of {@code tspm stop} with nothing after it
     * must not stop a whole deployment ({@code all} says so on purpose).
     */
    abstract static class NamedTargetAction extends TargetAction {
        @Parameters(paramLabel = "TARGET", arity = "1",
                description = "A process name, all, a namespace, or a label selector (tier=web).")
        String target;

        @Override
        String target() {
            return target;
        }
    }

    /** {@code tspm stop <target>}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops processes (dependents first).")
    public static final class Stop extends NamedTargetAction {
        @Override
        String action() {
            return "stop";
        }
    }

    /** {@code tspm restart <target>}. */
    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restarts processes.")
    public static final class Restart extends NamedTargetAction {
        @Override
        String action() {
            return "restart";
        }
    }

    /** {@code tspm reload <target>}. */
    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Replaces processes one batch at a time, each new one ready before the old one stops.")
    public static final class Reload extends NamedTargetAction {
        @Override
        String action() {
            return "reload";
        }
    }

    /** {@code tspm reset <target>}. */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Sets restart counts, crash-loop windows and backoff back to zero.")
    public static final class Reset extends NamedTargetAction {
        @Override
        String action() {
            return "reset";
        }
    }

    /** {@code tspm flush [target]}. */
    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Empties the log files of the named processes (all by default); rotated files stay.")
    public static final class Flush extends TargetAction {
        @Parameters(paramLabel = "TARGET", arity = "0..1", defaultValue = "all",
                description = "A process name, all, a namespace, or a label selector (tier=web) (default all).")
        String target;

        @Override
        String action() {
            return "flush";
        }

        @Override
        String target() {
            return target;
        }
    }

    /** {@code tspm scale web 3}. */
    @Command(name = "scale", mixinStandardHelpOptions = true, description = "Sets the number of instances of a process.")
    public static final class Scale extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The process.")
        String name;

        @Parameters(index = "1", paramLabel = "N", description = "The number of instances.")
        int instances;

        @Override
        public Integer call() {
            String reply = client().post("/v1/actions/scale?target=" + ControlClient.q(name) + "&instances="
                    + instances).body();
            return print(Optional.ofNullable(Json.stringField(reply, "message")).orElse(reply));
        }
    }

    /** {@code tspm reloadLogs}. */
    @Command(name = "reloadLogs", mixinStandardHelpOptions = true,
            description = "Reopens every log file (after logrotate moved them).")
    public static final class ReloadLogs extends ClientCommand {
        @Override
        public Integer call() {
            return print(Json.stringField(client().post("/v1/actions/reloadLogs").body(), "message"));
        }
    }

    /** {@code tspm apply [file]}. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Brings the runner to an edited config: adds, removes, scales and reloads only what changed,"
                    + " and prints the plan.")
    public static final class Apply extends ClientCommand {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The config (default: the one the runner runs).")
        Path file;

        @Option(names = "--dry-run", description = "Print the plan only.")
        boolean dryRun;

        @Option(names = "--json", description = "The plan as JSON.")
        boolean json;

        @Override
        public Integer call() {
            StringBuilder path = new StringBuilder("/v1/apply?dryRun=").append(dryRun);
            if (file != null) {
                path.append("&file=").append(ControlClient.q(RunnerCommands.config(file).toString()));
            }
            String reply;
            try {
                reply = client().post(path.toString()).body();
            } catch (RunnerException e) {
                // The runner's 400 here is a config that does not load: a failure, not a wrong command line.
                throw e.exitCode() == ExitCodes.USAGE ? new RunnerException(ExitCodes.FAILURE, e.getMessage()) : e;
            }
            if (json) {
                return print(reply);
            }
            String text = Json.stringField(reply, "text");
            return print((dryRun ? "plan (nothing done):\n" : "") + (text == null || text.isEmpty() ? "no process" : text));
        }
    }

    /** {@code tspm save}. */
    @Command(name = "save", aliases = "dump", mixinStandardHelpOptions = true,
            description = "Saves the running processes (as scaled and applied) and which are stopped to .tspm/dump.yaml.")
    public static final class Save extends ClientCommand {
        @Override
        public Integer call() {
            return print(Json.stringField(client().post("/v1/save").body(), "message"));
        }
    }

    /** {@code tspm kill}. */
    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Stops every process and the runner.")
    public static final class Kill extends ClientCommand {
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the runner to end (default ${DEFAULT-VALUE} s).")
        int timeout;

        @Override
        public Integer call() throws Exception {
            ControlClient c = client();
            Object reply = Json.parse(c.post("/v1/kill").body());
            long pid = reply instanceof Map<?, ?> m && m.get("pid") instanceof Long p ? p : -1;
            Optional<ProcessHandle> runner = ProcessHandle.of(pid);
            if (runner.isPresent()) {
                try {
                    runner.get().onExit().get(timeout, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new RunnerException(ExitCodes.FAILURE, "the runner (pid " + pid + ") did not end within "
                            + timeout + " s");
                }
            }
            // The runner leaves its exit code and how its processes stopped.
            String exit = Files.exists(c.state().exit()) ? Files.readString(c.state().exit()).trim() : "0 stopped";
            int space = exit.indexOf(' ');
            int code = Integer.parseInt(space < 0 ? exit : exit.substring(0, space));
            print("stopped the runner (pid " + pid + "): " + (space < 0 ? "" : exit.substring(space + 1)));
            return code;
        }
    }

    /** {@code tspm open [--browser]}: a one-time login link to the runner's web page. */
    @Command(name = "open", mixinStandardHelpOptions = true,
            description = "Prints a one-time login link to the runner's web page (the table with start, stop and"
                    + " restart buttons, and the last lines); it opens one browser session, within 2 minutes.")
    public static final class Open extends ClientCommand {
        @Option(names = {"-b", "--browser"}, description = "Open the link too: in $BROWSER, else with xdg-open.")
        boolean browser;

        @Override
        public Integer call() throws Exception {
            String url = Json.stringField(client().post("/v1/login").body(), "url");
            print(url);
            if (browser) {
                String given = System.getenv("BROWSER");
                String opener = given != null && !given.isBlank() ? given.split(":")[0] : "xdg-open";
                try {
                    // Not waited for: a browser may live far longer than this command.
                    new ProcessBuilder(opener, url).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                } catch (java.io.IOException e) {
                    throw new RunnerException(ExitCodes.FAILURE, "cannot open a browser with '" + opener + "' ("
                            + e.getMessage() + "): set BROWSER, or open the link above yourself");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code tspm groups}. */
    @Command(name = "groups", mixinStandardHelpOptions = true, description = "Lists the namespaces and their processes.")
    public static final class Groups extends ClientCommand {
        @Option(names = "--json", description = "As JSON.")
        boolean json;

        @Override
        public Integer call() {
            return print(client().get("/v1/groups" + (json ? "" : "?view=text")).body());
        }
    }

    /** {@code tspm report}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Prints a diagnostic report: versions, config, the table, last exits and lines.")
    public static final class Report extends ClientCommand {
        @Option(names = "--json", description = "The snapshot as JSON instead.")
        boolean json;

        @Override
        public Integer call() {
            return print(client().get(json ? "/v1/snapshot" : "/v1/report").body());
        }
    }

    /** {@code tspm startup [file] [--user U]}: a systemd unit for the runner on that config. */
    @Command(name = "startup", mixinStandardHelpOptions = true,
            description = "Prints a systemd unit that runs the runner on a config at boot, and how to install it.")
    public static final class Startup extends ClientCommand {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The config (default: the one in .).")
        Path file;

        @Option(names = "--user", paramLabel = "USER", description = "The user the runner runs as (default root).")
        String user;

        @Override
        public Integer call() {
            Path config = RunnerCommands.config(file);
            String launcher = System.getenv().getOrDefault("TSPM_LAUNCHER", "tspm");
            String unit = io.tspm.config.SystemdUnit.of(Path.of(launcher), config,
                    io.tspm.config.TspmConfig.load(config).processes(), user);
            print(unit);
            out().println("# Install: save this as /etc/systemd/system/tspm.service, then");
            out().println("#   systemctl daemon-reload && systemctl enable --now tspm");
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code tspm export kubernetes [file] --image IMAGE}: the config's processes as manifests. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Exports a config's processes for another system: kubernetes (Deployments and Services).")
    public static final class Export extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FORMAT", description = "kubernetes")
        String format;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "The config (default: the one in .).")
        Path file;

        @Option(names = "--image", paramLabel = "IMAGE", required = true,
                description = "The container image every process runs in.")
        String image;

        @Override
        public Integer call() {
            if (!format.equals("kubernetes") && !format.equals("k8s")) {
                throw new RunnerException(ExitCodes.USAGE, "unknown export format '" + format + "'; known: kubernetes");
            }
            Path config = RunnerCommands.config(file);
            return print(io.tspm.config.KubernetesManifests.of(io.tspm.config.TspmConfig.load(config).processes(),
                    image));
        }
    }
}
