package io.tspm.examples.runner.cli;

import io.tspm.examples.runner.ExitCodes;
import io.tspm.examples.runner.RunnerException;
import io.tspm.examples.runner.client.ControlClient;
import io.tspm.examples.runner.client.Json;
import io.tspm.examples.runner.server.RunnerOptions;
import io.tspm.examples.runner.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that run a runner: {@code run}, {@code dev}, {@code start}, {@code resurrect}, {@code monit}. */
public final class RunnerCommands {

    private RunnerCommands() {
    }

    /** The options every way of running a runner takes. */
    abstract static class RunnerOptionsMixin extends ClientCommand {
        @Option(names = "--autosave", description = "Save the state after every change (at most once a second).")
        boolean autosave;

        @Option(names = "--listen", paramLabel = "HOST[:PORT]", defaultValue = "127.0.0.1",
                description = "Where the control API listens (default ${DEFAULT-VALUE}, any free port).")
        String listen;

        @Option(names = "--allow-remote", description = "Allow --listen on an address other than loopback.")
        boolean allowRemote;

        @Option(names = {"--profile", "--env"}, paramLabel = "NAME", description = "Select the config's profile"
                + " NAME: each process's env_NAME and profiles.NAME (as PM2's --env production).")
        String profile;

        String host() {
            int colon = listen.lastIndexOf(':');
            return colon < 0 || listen.indexOf(':') != colon ? listen : listen.substring(0, colon);
        }

        int port() {
            int colon = listen.lastIndexOf(':');
            if (colon < 0 || listen.indexOf(':') != colon) {
                return 0;
            }
            int port;
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new RunnerException(ExitCodes.USAGE, "--listen must be HOST or HOST:PORT, but was '" + listen + "'");
            }
            if (port < 0 || port > 65_535) {
                throw new RunnerException(ExitCodes.USAGE, "--listen's port must be in 0..65535 (0: any free port), but"
                        + " was " + port + " in '" + listen + "'");
            }
            return port;
        }

        /**
         * {@code --listen} and {@code --allow-remote} as a wrong command line (2), before a runner starts:
         * the runner would refuse them too, but only after opening, with the JDK's words.
         */
        void checkListen() {
            port();
            java.net.InetAddress address;
            try {
                address = java.net.InetAddress.getByName(host());
            } catch (java.net.UnknownHostException e) {
                throw new RunnerException(ExitCodes.USAGE, "--listen must name an address of this machine, but '"
                        + host() + "' does not resolve");
            }
            if (!address.isLoopbackAddress() && !allowRemote) {
                throw new RunnerException(ExitCodes.USAGE, "the control API listens on loopback only, but --listen was '"
                        + listen + "': add --allow-remote to listen on " + host() + " (the token is still required)");
            }
        }

        /** The options again, for a detached runner (checked first: a runner that would refuse them is not started). */
        List<String> passOn() {
            checkListen();
            List<String> args = new ArrayList<>();
            if (autosave) {
                args.add("--autosave");
            }
            args.add("--listen");
            args.add(listen);
            if (allowRemote) {
                args.add("--allow-remote");
            }
            if (profile != null) {
                args.add("--profile");
                args.add(profile);
            }
            return args;
        }
    }

    static Path config(Path given) {
        Path p = given == null ? Path.of("").toAbsolutePath() : given.toAbsolutePath().normalize();
        if (!Files.exists(p)) { // said here: the loader's IOException names only the path
            throw new RunnerException(ExitCodes.FAILURE, "no config at " + p + ": no such file or directory");
        }
        return io.tspm.config.ConfigLoader.locate(p).toAbsolutePath().normalize();
    }

    /** {@code tspm run [file]}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs a config in the foreground: the live table on a terminal, plain prefixed lines"
                    + " elsewhere. Ctrl-C stops everything cleanly, a second Ctrl-C at once.")
    public static class Run extends RunnerOptionsMixin {
        @Parameters(paramLabel = "FILE", arity = "0..1",
                description = "The config, or a directory holding tspm.yaml, tspm.json, ... (default .).")
        Path file;

        @Option(names = "--plain", description = "Plain lines even on a terminal.")
        boolean plain;

        @Option(names = "--stop-after", paramLabel = "SECONDS",
                description = "Stop everything after this many seconds (a demo, a smoke test).")
        Long stopAfter;

        boolean dev() {
            return false;
        }

        @Override
        public Integer call() throws Exception {
            if (stopAfter != null && stopAfter < 0) {
                throw new RunnerException(ExitCodes.USAGE, "--stop-after must be 0 or more seconds, but was " + stopAfter);
            }
            checkListen();
            Path config = config(file);
            RunnerOptions options = new RunnerOptions(config, StateDir.forConfig(config, System.getenv()), dev(),
                    autosave, host(), port(), allowRemote, profile);
            return RunnerMain.run(options, plain ? RunnerMain.Show.PLAIN : RunnerMain.Show.INTERACTIVE,
                    stopAfter == null ? null : Duration.ofSeconds(stopAfter));
        }
    }

    /** {@code tspm dev [file]}. */
    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "As run, with every process watching its directory: a change restarts it (debounced;"
                    + " .tspm, .git, target, node_modules and *.log are ignored).")
    public static final class Dev extends Run {
        @Override
        boolean dev() {
            return true;
        }

        @Override
        public Integer call() throws Exception {
            plain = true;
            return super.call();
        }
    }

    /** {@code tspm start [file | target]}. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Starts a config in a runner of its own, detached (pid, token, port and logs in .tspm/"
                    + " next to the config, or $TSPM_HOME), and returns once every process is ready, or fails with"
                    + " the start error and the last lines.",
                "With a runner running, `start <name | all | namespace | selector>` starts those processes."})
    public static final class Start extends RunnerOptionsMixin {
        @Parameters(paramLabel = "FILE|TARGET", arity = "0..1",
                description = "A config (or its directory), or the processes to start in the running runner.")
        String what;

        @Option(names = {"-d", "--daemon"}, description = "Detached (the default for a config; kept for PM2's users).")
        boolean daemon;

        @Option(names = "--resurrect", description = "Start the processes saved by `tspm save` instead of a config.")
        boolean resurrect;

        @Override
        public Integer call() throws Exception {
            if (resurrect) {
                return Resurrect.detached(spec.commandLine().getOut(), spec.commandLine().getErr(), passOn());
            }
            boolean isFile = what != null && Files.exists(Path.of(what));
            if (!isFile && !daemon) {
                Optional<ControlClient> running = running();
                // With no runner, a missing tspm.yml is a config not found, not a process to start.
                if (running.isPresent() || what != null && !what.matches("(?i).*\\.(ya?ml|jsonc?|c?js)")) {
                    ControlClient c = running.orElseGet(this::client);
                    String reply = c.post("/v1/actions/start?target=" + ControlClient.q(what == null ? "all" : what))
                            .body();
                    return print(Optional.ofNullable(Json.stringField(reply, "message")).orElse(reply));
                }
            }
            Path config = config(what == null ? null : Path.of(what));
            List<String> args = new ArrayList<>(List.of("--config", config.toString()));
            args.addAll(passOn());
            return Daemon.launch(StateDir.forConfig(config, System.getenv()), config, args, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }

        private Optional<ControlClient> running() {
            try {
                ControlClient c = client();
                c.get("/v1/health");
                return Optional.of(c);
            } catch (RunnerException e) {
                return Optional.empty();
            }
        }
    }

    /** {@code tspm resurrect}. */
    @Command(name = "resurrect", mixinStandardHelpOptions = true,
            description = "Restores the processes `tspm save` wrote: into the running runner, or a new detached one.")
    public static final class Resurrect extends RunnerOptionsMixin {
        @Override
        public Integer call() throws Exception {
            ControlClient c;
            try {
                c = client();
                c.get("/v1/health");
            } catch (RunnerException e) {
                if (e.exitCode() != ExitCodes.NO_RUNNER) {
                    throw e;
                }
                return detached(spec.commandLine().getOut(), spec.commandLine().getErr(), passOn());
            }
            String reply = c.post("/v1/resurrect").body();
            String text = Json.stringField(reply, "text");
            // The one warning a load gives: the dump was damaged and its backup was restored instead.
            List<?> warnings = Json.parse(reply) instanceof java.util.Map<?, ?> m
                    && m.get("warnings") instanceof List<?> w ? w : List.of();
            warnings.forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getErr().flush();
            return print("restored " + (warnings.isEmpty() ? c.state().dump() : c.state().dumpBackup()) + ":\n"
                    + (text == null ? reply : text));
        }

        static int detached(java.io.PrintWriter out, java.io.PrintWriter err, List<String> passOn) throws Exception {
            StateDir state = locateDump();
            List<String> args = new ArrayList<>(List.of("--resurrect"));
            args.addAll(passOn);
            return Daemon.launch(state, null, args, out, err);
        }

        static StateDir locateDump() {
            String home = System.getenv("TSPM_HOME");
            List<Path> looked = new ArrayList<>();
            if (home != null && !home.isBlank()) {
                StateDir d = new StateDir(Path.of(home));
                looked.add(d.dump());
                if (Files.exists(d.dump()) || Files.exists(d.dumpBackup())) {
                    return d;
                }
            } else {
                for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                    StateDir d = new StateDir(p.resolve(StateDir.NAME));
                    looked.add(d.dump());
                    if (Files.exists(d.dump()) || Files.exists(d.dumpBackup())) {
                        return d;
                    }
                }
            }
            throw new RunnerException(ExitCodes.NO_RUNNER, "nothing to resurrect: no runner is running and there is no"
                    + " saved dump in " + StateDir.describe(looked) + " (run `tspm save` while a runner runs)");
        }
    }

    /** {@code tspm monit}: the table of the running runner, redrawn each second; on a terminal with the live table's keys. */
    @Command(name = "monit", mixinStandardHelpOptions = true,
            description = "Shows the running runner's table, redrawn each second, until q or Ctrl-C. On a terminal"
                    + " with the live table's keys: move, restart, stop, start, scale, follow a log.")
    public static final class Monit extends ClientCommand {
        @Option(names = "--count", paramLabel = "N", description = "Print the table N times, plainly, and end.")
        Integer count;

        @Override
        public Integer call() throws Exception {
            ControlClient c = client();
            boolean tty = onTerminal();
            if (tty && count == null) {
                io.tspm.examples.runner.ui.AttachedTable table = io.tspm.examples.runner.ui.AttachedTable.open(c);
                if (table != null) {
                    return table.run();
                }
            }
            for (int i = 0; count == null || i < count; i++) {
                String table = c.get("/v1/processes?view=text" + (tty ? "&color=true" : "")).body();
                String logs = c.get("/v1/logs?lines=10").body();
                // Home, then each line cleared at its end: a redraw in place, no flicker of a full clear.
                StringBuilder sb = new StringBuilder();
                if (tty) {
                    sb.append("\u001b[H");
                }
                sb.append("tspm monit · ").append(c.state()).append(" · ").append(java.time.LocalTime.now()
                        .withNano(0)).append(tty ? "\u001b[K\n" : "\n");
                for (String l : (table + "\n" + logs).split("\n", -1)) {
                    sb.append(l).append(tty ? "\u001b[K\n" : "\n");
                }
                if (tty) {
                    sb.append("\u001b[J");
                }
                out().print(sb);
                out().flush();
                if (count == null || i + 1 < count) {
                    Thread.sleep(1000);
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The detached runner itself (started by {@code start}; not for people). */
    @Command(name = "__runner", hidden = true, description = "The detached runner.")
    public static final class RunnerChild extends RunnerOptionsMixin {
        @Option(names = "--state", required = true)
        Path state;

        @Option(names = "--config")
        Path config;

        @Option(names = "--resurrect")
        boolean resurrect;

        @Option(names = "--dev")
        boolean dev;

        @Override
        public Integer call() throws Exception {
            RunnerOptions options = new RunnerOptions(resurrect ? null : config, new StateDir(state), dev, autosave,
                    host(), port(), allowRemote, profile);
            return RunnerMain.run(options, RunnerMain.Show.EVENTS, null);
        }
    }
}
