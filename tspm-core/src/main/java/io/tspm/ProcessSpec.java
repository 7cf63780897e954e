package io.tspm;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The immutable description of one program the supervisor runs as {@link #instances()} instances.
 * Built by {@link #builder(String)}; {@link #toBuilder()} gives a builder to derive another spec.
 *
 * <p>The program is exactly one of: an argv {@linkplain Builder#command(String...) command} (no
 * shell), a {@linkplain Builder#script(Path) script} run by an interpreter inferred from its
 * extension, or a {@linkplain Builder#shell(String) shell} command line run by {@code /bin/sh -c}.
 */
public final class ProcessSpec {

    /** The default name of the variable holding the instance id, as PM2's {@code instance_var}. */
    public static final String DEFAULT_INSTANCE_VAR = "TSPM_INSTANCE_ID";
    /** The default name of the variable holding the instance's port, as PM2's {@code increment_var}. */
    public static final String DEFAULT_PORT_VAR = "PORT";
    /** The variable holding the process name, set for every child. */
    public static final String PROCESS_NAME_VAR = "TSPM_PROCESS_NAME";
    public static final String DEFAULT_NAMESPACE = "default";
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
    /** Without a readiness probe, a process that stayed up this long is RUNNING (supervisord's startsecs). */
    public static final Duration DEFAULT_READY_AFTER = Duration.ofMillis(100);

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_INSTANCES = 10_000;

    /** Which of the three ways the program is given. */
    public enum Kind {
        COMMAND,
        SCRIPT,
        SHELL
    }

    private final String name;
    private final String namespace;
    private final Map<String, String> labels;
    private final Kind kind;
    private final List<String> command;
    private final Path script;
    private final List<String> interpreter;
    private final String shell;
    private final List<String> args;
    private final Path workingDirectory;
    private final boolean inheritEnvironment;
    private final Map<String, String> environment;
    private final Set<String> removedEnvironment;
    private final Path envFile;
    private final boolean autostart;
    private final int instances;
    private final String instanceVar;
    private final int basePort;
    private final String portVar;
    private final int nice;
    private final Signal stopSignal;
    private final Duration stopTimeout;
    private final List<String> dependsOn;
    private final RestartPolicy restartPolicy;
    private final boolean captureOutput;
    private final boolean mergeStderr;
    private final RestartStrategy restartStrategy;
    private final Duration readyAfter;
    private final int exitHistorySize;
    private final LogSettings logs;
    private final ProbeSettings startupProbe;
    private final ProbeSettings readinessProbe;
    private final ProbeSettings livenessProbe;
    private final long maxMemory;
    private final int memoryLimitSamples;
    private final MemoryLimitAction memoryLimitAction;
    private final CronSchedule cronRestart;
    private final List<Path> watchPaths;
    private final List<String> watchIgnore;
    private final Duration watchDebounce;
    private final int reloadBatch;
    private final Duration reloadTimeout;
    private final Duration reloadDrain;
    private final int reloadPortSpan;

    private ProcessSpec(Builder b, Kind kind, List<String> interpreter) {
        this.name = b.name;
        this.namespace = b.namespace;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
        this.kind = kind;
        this.command = List.copyOf(b.command);
        this.script = b.script;
        this.interpreter = List.copyOf(interpreter);
        this.shell = b.shell;
        this.args = List.copyOf(b.args);
        this.workingDirectory = b.workingDirectory;
        this.inheritEnvironment = b.inheritEnvironment;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.removedEnvironment = Collections.unmodifiableSet(new LinkedHashSet<>(b.removedEnvironment));
        this.envFile = b.envFile;
        this.autostart = b.autostart;
        this.instances = b.instances;
        this.instanceVar = b.instanceVar;
        this.basePort = b.basePort;
        this.portVar = b.portVar;
        this.nice = b.nice;
        this.stopSignal = b.stopSignal;
        this.stopTimeout = b.stopTimeout;
        this.dependsOn = List.copyOf(b.dependsOn);
        this.restartPolicy = b.restartPolicy;
        this.captureOutput = b.captureOutput;
        this.mergeStderr = b.mergeStderr;
        this.restartStrategy = b.restartStrategy;
        this.readyAfter = b.readyAfter;
        this.exitHistorySize = b.exitHistorySize;
        this.logs = b.logs;
        this.startupProbe = b.startupProbe;
        this.readinessProbe = b.readinessProbe;
        this.livenessProbe = b.livenessProbe;
        this.maxMemory = b.maxMemory;
        this.memoryLimitSamples = b.memoryLimitSamples;
        this.memoryLimitAction = b.memoryLimitAction;
        this.cronRestart = b.cronRestart;
        this.watchPaths = List.copyOf(b.watchPaths);
        this.watchIgnore = List.copyOf(b.watchIgnore);
        this.watchDebounce = b.watchDebounce;
        this.reloadBatch = b.reloadBatch;
        this.reloadTimeout = b.reloadTimeout;
        this.reloadDrain = b.reloadDrain;
        this.reloadPortSpan = b.reloadPortSpan;
    }

    /** A builder for a process named {@code name} (letters, digits, {@code . _ -}; at most 64). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding every setting of this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.namespace = namespace;
        b.labels.putAll(labels);
        b.command.addAll(command);
        b.script = script;
        b.explicitInterpreter = kind == Kind.SCRIPT && !interpreter.equals(inferInterpreter(script))
                ? new ArrayList<>(interpreter) : null;
        b.shell = shell;
        b.args.addAll(args);
        b.workingDirectory = workingDirectory;
        b.inheritEnvironment = inheritEnvironment;
        b.environment.putAll(environment);
        b.removedEnvironment.addAll(removedEnvironment);
        b.envFile = envFile;
        b.autostart = autostart;
        b.instances = instances;
        b.instanceVar = instanceVar;
        b.basePort = basePort;
        b.portVar = portVar;
        b.nice = nice;
        b.stopSignal = stopSignal;
        b.stopTimeout = stopTimeout;
        b.dependsOn.addAll(dependsOn);
        b.restartPolicy = restartPolicy;
        b.captureOutput = captureOutput;
        b.mergeStderr = mergeStderr;
        b.restartStrategy = restartStrategy;
        b.readyAfter = readyAfter;
        b.exitHistorySize = exitHistorySize;
        b.logs = logs;
        b.startupProbe = startupProbe;
        b.readinessProbe = readinessProbe;
        b.livenessProbe = livenessProbe;
        b.maxMemory = maxMemory;
        b.memoryLimitSamples = memoryLimitSamples;
        b.memoryLimitAction = memoryLimitAction;
        b.cronRestart = cronRestart;
        b.watchPaths.addAll(watchPaths);
        b.watchIgnore.addAll(watchIgnore);
        b.watchDebounce = watchDebounce;
        b.reloadBatch = reloadBatch;
        b.reloadTimeout = reloadTimeout;
        b.reloadDrain = reloadDrain;
        b.reloadPortSpan = reloadPortSpan;
        return b;
    }

    /**
     * The argv the supervisor executes (before the program is looked up on {@code PATH}): the
     * command and its args; the interpreter, the script and the args; or {@code /bin/sh -c line
     * name args...} for a shell line (the args become {@code $1...}).
     */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        switch (kind) {
            case COMMAND:
                argv.addAll(command);
                break;
            case SCRIPT:
                argv.addAll(interpreter);
                argv.add(script.toString());
                break;
            case SHELL:
                argv.addAll(List.of("/bin/sh", "-c", shell, name));
                break;
            default:
                throw new AssertionError(kind);
        }
        argv.addAll(args);
        return List.copyOf(argv);
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public Kind kind() {
        return kind;
    }

    /** The command argv without {@link #args()}; empty unless {@link #kind()} is COMMAND. */
    public List<String> command() {
        return command;
    }

    public Optional<Path> script() {
        return Optional.ofNullable(script);
    }

    /** The interpreter argv for a script (explicit or inferred); empty when the script runs directly. */
    public List<String> interpreter() {
        return interpreter;
    }

    public Optional<String> shell() {
        return Optional.ofNullable(shell);
    }

    public List<String> args() {
        return args;
    }

    /** The working directory; empty means the host JVM's. */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    public boolean inheritEnvironment() {
        return inheritEnvironment;
    }

    /** Variables set for the child, on top of the inherited environment and the env file. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Inherited variables removed for the child. */
    public Set<String> removedEnvironment() {
        return removedEnvironment;
    }

    public Optional<Path> envFile() {
        return Optional.ofNullable(envFile);
    }

    public boolean autostart() {
        return autostart;
    }

    public int instances() {
        return instances;
    }

    public String instanceVar() {
        return instanceVar;
    }

    /** The port of instance 0; instance {@code i} gets {@code basePort + i}. Empty when not set. */
    public OptionalInt basePort() {
        return basePort == 0 ? OptionalInt.empty() : OptionalInt.of(basePort);
    }

    public String portVar() {
        return portVar;
    }

    public int nice() {
        return nice;
    }

    public Signal stopSignal() {
        return stopSignal;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** Processes that must be running before this one starts; stopped after this one. */
    public List<String> dependsOn() {
        return dependsOn;
    }

    public RestartPolicy restartPolicy() {
        return restartPolicy;
    }

    /** Whether stdout and stderr are read (to files, SLF4J, the ring, listeners); else discarded. */
    public boolean captureOutput() {
        return captureOutput;
    }

    /** Whether stderr is merged into stdout (one pipe, one reader). */
    public boolean mergeStderr() {
        return mergeStderr;
    }

    /** What else restarts when an instance exits and is restarted. */
    public RestartStrategy restartStrategy() {
        return restartStrategy;
    }

    /**
     * Without a readiness probe, how long a spawned process must stay up to be RUNNING (supervisord's
     * {@code startsecs}, default 100 ms); zero means RUNNING as soon as it is spawned.
     */
    public Duration readyAfter() {
        return readyAfter;
    }

    /** How many exits each instance keeps in its {@linkplain ProcessInstance#exitHistory() history}. */
    public int exitHistorySize() {
        return exitHistorySize;
    }

    /** Where the output goes: files, SLF4J, the ring of recent lines. */
    public LogSettings logs() {
        return logs;
    }

    /** Gates the other probes until the process has started; failing it fails the start. */
    public Optional<ProbeSettings> startupProbe() {
        return Optional.ofNullable(startupProbe);
    }

    /** Decides RUNNING (ready) and what load balancing may pick. */
    public Optional<ProbeSettings> readinessProbe() {
        return Optional.ofNullable(readinessProbe);
    }

    /** Failing it restarts the instance through the restart policy. */
    public Optional<ProbeSettings> livenessProbe() {
        return Optional.ofNullable(livenessProbe);
    }

    /** The memory limit of an instance's process tree, in bytes; empty for none. */
    public OptionalLong maxMemory() {
        return maxMemory == 0 ? OptionalLong.empty() : OptionalLong.of(maxMemory);
    }

    /** How many samples in a row over {@link #maxMemory()} restart the instance. */
    public int memoryLimitSamples() {
        return memoryLimitSamples;
    }

    /** Whether an instance over its memory limit is restarted or replaced by a reload. */
    public MemoryLimitAction memoryLimitAction() {
        return memoryLimitAction;
    }

    /** When running instances are restarted on a schedule (PM2's {@code cron_restart}); empty for never. */
    public Optional<CronSchedule> cronRestart() {
        return Optional.ofNullable(cronRestart);
    }

    /** Paths watched (recursively) for changes that restart the running instances; empty for none. */
    public List<Path> watchPaths() {
        return watchPaths;
    }

    /** Glob patterns of changes the watch ignores (matched against the path relative to the watched root). */
    public List<String> watchIgnore() {
        return watchIgnore;
    }

    /** How long the watch waits after the last change of a burst before it restarts. */
    public Duration watchDebounce() {
        return watchDebounce;
    }

    /** How many instances a rolling reload replaces at a time. */
    public int reloadBatch() {
        return reloadBatch;
    }

    /** How long a reload waits for a replacement to be ready before it gives up (keeping the old one). */
    public Duration reloadTimeout() {
        return reloadTimeout;
    }

    /** How long an old instance keeps running after its replacement took over, to finish what it serves. */
    public Duration reloadDrain() {
        return reloadDrain;
    }

    /**
     * The distance between the two ports of a slot: during a reload the replacement of instance i
     * listens on {@code basePort + i + span} while the old one keeps {@code basePort + i} (and the
     * other way round on the next reload). Defaults to {@link #instances()}.
     */
    public int reloadPortSpan() {
        return reloadPortSpan > 0 ? reloadPortSpan : Math.max(1, instances);
    }

    /** Every configured probe's settings. */
    public List<ProbeSettings> probes() {
        List<ProbeSettings> all = new ArrayList<>(3);
        startupProbe().ifPresent(all::add);
        readinessProbe().ifPresent(all::add);
        livenessProbe().ifPresent(all::add);
        return all;
    }

    @Override
    public String toString() {
        return "ProcessSpec{name=" + name + ", namespace=" + namespace + ", argv=" + argv()
                + ", instances=" + instances + ", restartPolicy=" + restartPolicy + '}';
    }

    static List<String> inferInterpreter(Path script) {
        String file = script.getFileName() == null ? "" : script.getFileName().toString().toLowerCase(Locale.ROOT);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        if (file.endsWith(".sh")) {
            return List.of("/bin/sh");
        } else if (file.endsWith(".jar")) {
            return List.of(java, "-jar");
        } else if (file.endsWith(".java")) {
            return List.of(java);
        } else if (file.endsWith(".py")) {
            return List.of("python3");
        } else if (file.endsWith(".js") || file.endsWith(".mjs") || file.endsWith(".cjs")) {
            return List.of("node");
        }
        return List.of();
    }

    static String checkName(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-64 letters, digits, '.', '_' or '-', starting with"
                    + " a letter or digit, but was '" + value + "'");
        }
        return value;
    }

    private static String checkEnvName(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!ENV_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + " must be a variable name ([A-Za-z_][A-Za-z0-9_]*), but was '" + value + "'");
        }
        return value;
    }

    /** Checks an argv; {@code program} when its first element names the program (not blank). */
    private static List<String> checkArgv(String field, List<String> argv, boolean program) {
        Objects.requireNonNull(argv, field);
        if (program && argv.isEmpty()) {
            throw new IllegalArgumentException(field + " must name a program, but was []");
        }
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a == null) {
                throw new NullPointerException(field + "[" + i + "]");
            }
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(field + "[" + i + "] must not contain a NUL character, but was '"
                        + a.replace('\0', '?') + "'");
            }
        }
        if (program && argv.get(0).isBlank()) {
            throw new IllegalArgumentException(field + "[0] (the program) must not be blank, but was '"
                    + argv.get(0) + "'");
        }
        return argv;
    }

    /**
     * Builds a {@link ProcessSpec}. Each setter checks its own value; {@link #build()} checks how
     * they combine, and copies, so the builder can be reused.
     */
    public static final class Builder {
        private final String name;
        private String namespace = DEFAULT_NAMESPACE;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<String> command = new ArrayList<>();
        private Path script;
        private List<String> explicitInterpreter;
        private String shell;
        private final List<String> args = new ArrayList<>();
        private Path workingDirectory;
        private boolean inheritEnvironment = true;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Set<String> removedEnvironment = new LinkedHashSet<>();
        private Path envFile;
        private boolean autostart = true;
        private int instances = 1;
        private String instanceVar = DEFAULT_INSTANCE_VAR;
        private int basePort;
        private String portVar = DEFAULT_PORT_VAR;
        private int nice;
        private Signal stopSignal = Signal.TERM;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private final List<String> dependsOn = new ArrayList<>();
        private RestartPolicy restartPolicy = RestartPolicy.defaults();
        private boolean captureOutput = true;
        private boolean mergeStderr;
        private RestartStrategy restartStrategy = RestartStrategy.ONE_FOR_ONE;
        private Duration readyAfter = DEFAULT_READY_AFTER;
        private int exitHistorySize = 100;
        private LogSettings logs = LogSettings.defaults();
        private ProbeSettings startupProbe;
        private ProbeSettings readinessProbe;
        private ProbeSettings livenessProbe;
        private long maxMemory;
        private int memoryLimitSamples = 3;
        private MemoryLimitAction memoryLimitAction = MemoryLimitAction.RESTART;
        private CronSchedule cronRestart;
        private final List<Path> watchPaths = new ArrayList<>();
        private final List<String> watchIgnore = new ArrayList<>();
        private Duration watchDebounce = Duration.ofMillis(500);
        private int reloadBatch = 1;
        private Duration reloadTimeout = Duration.ofSeconds(60);
        private Duration reloadDrain = Duration.ofSeconds(1);
        private int reloadPortSpan;

        Builder(String name) {
            this.name = checkName("name", name);
        }

        /** The program and its arguments, run without a shell. */
        public Builder command(String... argv) {
            Objects.requireNonNull(argv, "command");
            return command(java.util.Arrays.asList(argv.clone()));
        }

        /** The program and its arguments, run without a shell. */
        public Builder command(List<String> argv) {
            checkArgv("command", argv, true);
            command.clear();
            command.addAll(argv);
            return this;
        }

        /**
         * A script to run. The interpreter comes from its extension ({@code .sh} sh, {@code .jar}
         * java -jar, {@code .java} java, {@code .py} python3, {@code .js} node; java is the host
         * JVM's) unless {@link #interpreter(String...)} names one; any other script runs directly.
         */
        public Builder script(Path script) {
            this.script = Objects.requireNonNull(script, "script");
            if (script.toString().isBlank()) {
                throw new IllegalArgumentException("script must not be blank, but was '" + script + "'");
            }
            return this;
        }

        /** The interpreter (and its options) for {@link #script(Path)}; wins over the inferred one. */
        public Builder interpreter(String... argv) {
            Objects.requireNonNull(argv, "interpreter");
            this.explicitInterpreter = new ArrayList<>(checkArgv("interpreter", java.util.Arrays.asList(argv), true));
            return this;
        }

        /** A command line run by {@code /bin/sh -c}: only when a shell is really wanted. */
        public Builder shell(String commandLine) {
            Objects.requireNonNull(commandLine, "shell");
            if (commandLine.isBlank()) {
                throw new IllegalArgumentException("shell must not be blank, but was '" + commandLine + "'");
            }
            if (commandLine.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("shell must not contain a NUL character, but was '"
                        + commandLine.replace('\0', '?') + "'");
            }
            this.shell = commandLine;
            return this;
        }

        /** Appends arguments after the command, the script, or as the shell line's {@code $1...}. */
        public Builder args(String... args) {
            Objects.requireNonNull(args, "args");
            return args(java.util.Arrays.asList(args));
        }

        /** Appends arguments; see {@link #args(String...)}. */
        public Builder args(List<String> args) {
            checkArgv("args", args, false);
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i) == null) {
                    throw new NullPointerException("args[" + i + "]");
                }
            }
            this.args.addAll(args);
            return this;
        }

        public Builder workingDirectory(Path dir) {
            this.workingDirectory = Objects.requireNonNull(dir, "workingDirectory");
            return this;
        }

        /** Whether the child starts from the host JVM's environment (default true). */
        public Builder inheritEnvironment(boolean inherit) {
            this.inheritEnvironment = inherit;
            return this;
        }

        /** Sets one variable; wins over the inherited environment and the env file. */
        public Builder env(String key, String value) {
            checkEnvKey(key);
            Objects.requireNonNull(value, "env value of " + key);
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env value of " + key + " must not contain a NUL character");
            }
            environment.put(key, value);
            removedEnvironment.remove(key);
            return this;
        }

        /** Sets every entry; see {@link #env(String, String)}. */
        public Builder env(Map<String, String> env) {
            Objects.requireNonNull(env, "env");
            env.forEach(this::env);
            return this;
        }

        /** Removes an inherited variable from the child's environment. */
        public Builder removeEnv(String key) {
            checkEnvKey(key);
            environment.remove(key);
            removedEnvironment.add(key);
            return this;
        }

        /**
         * A dotenv file ({@code KEY=value} lines, {@code #} comments, optional {@code export},
         * single or double quotes) read at every spawn; its variables go under {@link #env}.
         */
        public Builder envFile(Path file) {
            this.envFile = Objects.requireNonNull(file, "envFile");
            return this;
        }

        /** Whether {@link Supervisor#start()} starts this process (default true). */
        public Builder autostart(boolean autostart) {
            this.autostart = autostart;
            return this;
        }

        /** How many instances run (default 1; 0 declares the process without running it). */
        public Builder instances(int instances) {
            if (instances < 0 || instances > MAX_INSTANCES) {
                throw new IllegalArgumentException(
                        "instances must be in 0.." + MAX_INSTANCES + ", but was " + instances);
            }
            this.instances = instances;
            return this;
        }

        /** The variable that holds the instance id (default {@value #DEFAULT_INSTANCE_VAR}). */
        public Builder instanceVar(String variable) {
            this.instanceVar = checkEnvName("instanceVar", variable);
            return this;
        }

        /** Hands instance {@code i} the port {@code basePort + i} in {@link #portVar(String)}. */
        public Builder basePort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("basePort must be in 1..65535, but was " + port);
            }
            this.basePort = port;
            return this;
        }

        /** The variable that holds the instance's port (default {@value #DEFAULT_PORT_VAR}). */
        public Builder portVar(String variable) {
            this.portVar = checkEnvName("portVar", variable);
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = checkName("namespace", namespace);
            return this;
        }

        public Builder label(String key, String value) {
            Objects.requireNonNull(key, "label key");
            Objects.requireNonNull(value, "label value of " + key);
            if (key.isBlank()) {
                throw new IllegalArgumentException("label key must not be blank, but was '" + key + "'");
            }
            labels.put(key, value);
            return this;
        }

        /** The scheduling priority, as {@code nice -n}: -20 (highest) .. 19 (lowest), default 0. */
        public Builder nice(int nice) {
            if (nice < -20 || nice > 19) {
                throw new IllegalArgumentException("nice must be in -20..19, but was " + nice);
            }
            this.nice = nice;
            return this;
        }

        /** The signal that asks the process tree to stop (default SIGTERM). */
        public Builder stopSignal(Signal signal) {
            this.stopSignal = Objects.requireNonNull(signal, "stopSignal");
            return this;
        }

        /** How long a stop waits after the stop signal before SIGKILL (default 5 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Durations.nonNegative("stopTimeout", timeout);
            return this;
        }

        /** Processes that must be running before this one starts; this one stops before them. */
        public Builder dependsOn(String... names) {
            Objects.requireNonNull(names, "dependsOn");
            for (String n : names) {
                checkName("dependsOn", n);
                if (!dependsOn.contains(n)) {
                    dependsOn.add(n);
                }
            }
            return this;
        }

        public Builder restartPolicy(RestartPolicy policy) {
            this.restartPolicy = Objects.requireNonNull(policy, "restartPolicy");
            return this;
        }

        /** Whether output is read (default true); when false it goes to /dev/null and no pipe is held. */
        public Builder captureOutput(boolean capture) {
            this.captureOutput = capture;
            return this;
        }

        /** Merges stderr into stdout: one pipe and one reader instead of two. */
        public Builder mergeStderr(boolean merge) {
            this.mergeStderr = merge;
            return this;
        }

        /** What else restarts when an instance exits and is restarted (default ONE_FOR_ONE). */
        public Builder restartStrategy(RestartStrategy strategy) {
            this.restartStrategy = Objects.requireNonNull(strategy, "restartStrategy");
            return this;
        }

        /**
         * How long a spawned process must stay up to count as RUNNING when no readiness probe says
         * so (default 100 ms, enough to catch a program that dies at once; zero: RUNNING as soon as
         * it is spawned). An exit before that is a failed start: {@code start()} throws, and the
         * restart policy decides what follows.
         */
        public Builder readyAfter(Duration duration) {
            this.readyAfter = Durations.nonNegative("readyAfter", duration);
            return this;
        }

        /** How many exits each instance keeps in its history, 1..100000 (default 100). */
        public Builder exitHistorySize(int size) {
            if (size < 1 || size > 100_000) {
                throw new IllegalArgumentException("exitHistorySize must be in 1..100000, but was " + size);
            }
            this.exitHistorySize = size;
            return this;
        }

        /** Where the output goes (default {@link LogSettings#defaults()}). */
        public Builder logs(LogSettings logs) {
            this.logs = Objects.requireNonNull(logs, "logs");
            return this;
        }

        /** A startup probe: the others wait for it; failing it fails the start at once. */
        public Builder startupProbe(ProbeSettings settings) {
            this.startupProbe = checkOneSuccess("startupProbe", settings);
            return this;
        }

        /** A startup probe with {@link ProbeSettings#startupBuilder} defaults (every 100 ms, 30 s in all). */
        public Builder startupProbe(io.tspm.spi.Probe probe) {
            return startupProbe(ProbeSettings.startupBuilder(probe).build());
        }

        /** A readiness probe: the instance is RUNNING once it passes; replaces {@link #readyAfter}. */
        public Builder readinessProbe(ProbeSettings settings) {
            this.readinessProbe = Objects.requireNonNull(settings, "readinessProbe");
            return this;
        }

        public Builder readinessProbe(io.tspm.spi.Probe probe) {
            return readinessProbe(ProbeSettings.builder(probe).build());
        }

        /** A liveness probe: failing it past its threshold restarts the instance (restart policy applies). */
        public Builder livenessProbe(ProbeSettings settings) {
            this.livenessProbe = checkOneSuccess("livenessProbe", settings);
            return this;
        }

        private static ProbeSettings checkOneSuccess(String field, ProbeSettings settings) {
            Objects.requireNonNull(settings, field);
            if (settings.successThreshold() != 1) {
                throw new IllegalArgumentException(field + " successThreshold must be 1 (as in Kubernetes), but was "
                        + settings.successThreshold());
            }
            return settings;
        }

        public Builder livenessProbe(io.tspm.spi.Probe probe) {
            return livenessProbe(ProbeSettings.builder(probe).build());
        }

        /**
         * Restarts an instance whose process tree's resident memory stays above {@code bytes} for
         * {@link #memoryLimitSamples} samples in a row (at least 1 MiB; PM2's
         * {@code max_memory_restart}). The restart is a crash: the restart policy and its crash-loop
         * limit apply. Needs resource sampling ({@link Supervisor.Builder#sampleInterval}) and /proc.
         */
        public Builder maxMemory(long bytes) {
            if (bytes < 1024 * 1024) {
                throw new IllegalArgumentException("maxMemory must be >= 1048576 bytes (1 MiB), but was " + bytes);
            }
            this.maxMemory = bytes;
            return this;
        }

        /**
         * Restarts the running instances at the times of a 5-field cron expression, in the JVM's
         * time zone, by the supervisor's clock ({@code "0 3 * * *"}: every day at 03:00). Stopped
         * instances stay stopped. See {@link CronSchedule} for the syntax.
         */
        public Builder cronRestart(String expression) {
            Objects.requireNonNull(expression, "cronRestart");
            this.cronRestart = CronSchedule.parse(expression);
            return this;
        }

        /**
         * Restarts the running instances when a file under these paths changes (PM2's {@code watch}),
         * recursively, once a burst of changes has been quiet for {@link #watchDebounce}. Relative
         * paths are resolved against the working directory. Watching the process's own log
         * directory (a restart loop) is refused unless an ignore pattern excludes it.
         */
        public Builder watch(Path... paths) {
            Objects.requireNonNull(paths, "watch");
            for (Path p : paths) {
                watchPaths.add(Objects.requireNonNull(p, "watch path"));
            }
            return this;
        }

        /** Glob patterns ({@code "**}{@code /*.log"}, {@code "node_modules/**"}) of changes the watch ignores. */
        public Builder watchIgnore(String... globs) {
            Objects.requireNonNull(globs, "watchIgnore");
            for (String g : globs) {
                Objects.requireNonNull(g, "watchIgnore glob");
                try {
                    java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("watchIgnore must be glob patterns, but was '" + g + "': "
                            + e.getMessage(), e);
                }
                watchIgnore.add(g);
            }
            return this;
        }

        /** How long changes must stop before the restart (default 500 ms). */
        public Builder watchDebounce(Duration debounce) {
            this.watchDebounce = Durations.positive("watchDebounce", debounce);
            return this;
        }

        /** How many instances a rolling reload replaces at a time, 1..10000 (default 1). */
        public Builder reloadBatch(int instancesAtATime) {
            if (instancesAtATime < 1 || instancesAtATime > MAX_INSTANCES) {
                throw new IllegalArgumentException("reloadBatch must be in 1.." + MAX_INSTANCES + ", but was "
                        + instancesAtATime);
            }
            this.reloadBatch = instancesAtATime;
            return this;
        }

        /** How long a reload waits for a replacement to be ready (default 60 s); then it keeps the old one. */
        public Builder reloadTimeout(Duration timeout) {
            this.reloadTimeout = Durations.positive("reloadTimeout", timeout);
            return this;
        }

        /** How long an old instance runs on after its replacement took over (default 1 s). */
        public Builder reloadDrain(Duration drain) {
            this.reloadDrain = Durations.nonNegative("reloadDrain", drain);
            return this;
        }

        /** The distance between a slot's two ports during reloads (default: the number of instances). */
        public Builder reloadPortSpan(int span) {
            if (span < 1 || span > MAX_INSTANCES) {
                throw new IllegalArgumentException("reloadPortSpan must be in 1.." + MAX_INSTANCES + ", but was " + span);
            }
            this.reloadPortSpan = span;
            return this;
        }

        /** Restart (default) or, without downtime, reload an instance over its memory limit. */
        public Builder memoryLimitAction(MemoryLimitAction action) {
            this.memoryLimitAction = Objects.requireNonNull(action, "memoryLimitAction");
            return this;
        }

        /** Samples in a row over the memory limit before a restart, 1..1000 (default 3). */
        public Builder memoryLimitSamples(int samples) {
            if (samples < 1 || samples > 1000) {
                throw new IllegalArgumentException("memoryLimitSamples must be in 1..1000, but was " + samples);
            }
            this.memoryLimitSamples = samples;
            return this;
        }

        public ProcessSpec build() {
            int given = (command.isEmpty() ? 0 : 1) + (script == null ? 0 : 1) + (shell == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalStateException("process '" + name + "': exactly one of command, script or shell"
                        + " must be set, but " + (given == 0 ? "none was" : given + " were"));
            }
            if (explicitInterpreter != null && script == null) {
                throw new IllegalStateException("process '" + name + "': interpreter " + explicitInterpreter
                        + " is set but no script");
            }
            if (basePort != 0 && instances > 0 && basePort + instances - 1 > 65535) {
                throw new IllegalStateException("process '" + name + "': basePort " + basePort + " + instances "
                        + instances + " runs past port 65535");
            }
            if (dependsOn.contains(name)) {
                throw new IllegalStateException("process '" + name + "' must not depend on itself");
            }
            if (instanceVar.equals(portVar) && basePort != 0) {
                throw new IllegalStateException("process '" + name + "': instanceVar and portVar must differ, but"
                        + " both are '" + portVar + "'");
            }
            for (String reserved : List.of(instanceVar, PROCESS_NAME_VAR)) {
                if (environment.containsKey(reserved)) {
                    throw new IllegalStateException("process '" + name + "': env sets " + reserved
                            + ", which the supervisor sets for every instance");
                }
            }
            if (basePort != 0 && environment.containsKey(portVar)) {
                throw new IllegalStateException("process '" + name + "': env sets " + portVar
                        + ", which basePort " + basePort + " sets for every instance");
            }
            if (instanceVar.equals(PROCESS_NAME_VAR) || (basePort != 0 && portVar.equals(PROCESS_NAME_VAR))) {
                throw new IllegalStateException("process '" + name + "': instanceVar and portVar must not be "
                        + PROCESS_NAME_VAR);
            }
            Kind kind = !command.isEmpty() ? Kind.COMMAND : script != null ? Kind.SCRIPT : Kind.SHELL;
            List<String> interpreter = kind != Kind.SCRIPT ? List.of()
                    : explicitInterpreter != null ? explicitInterpreter : inferInterpreter(script);
            return new ProcessSpec(this, kind, interpreter);
        }

        private static void checkEnvKey(String key) {
            Objects.requireNonNull(key, "env key");
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env key must be non-empty without '=' or NUL, but was '"
                        + key.replace('\0', '?') + "'");
            }
        }
    }
}
