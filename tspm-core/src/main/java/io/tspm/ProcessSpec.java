package io.tspm;

import io.tspm.spi.LoadBalancer;
import io.tspm.spi.Probe;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * Built by {@link #builder(String)}; {@link #toBuilder()} gives a builder to derive another spec,
 * and {@code spec.toBuilder().build()} equals {@code spec}.
 *
 * <p>A spec is made of small values, each immutable with {@code equals} and a {@code toString}
 * that shows what is set: the {@link Program} (an argv command, a script, or a shell line) and its
 * {@link #args()}, the {@link Environment}, the {@link InstanceSettings} (count and ports), the
 * {@link StopSettings}, the {@link RestartPolicy} and {@link MemoryPolicy}, the
 * {@link HealthChecks}, the {@link WatchSettings}, the {@link ReloadSettings}, the
 * {@link OutputSettings}, the {@link Hooks} and the {@link Dependency dependencies}. The builder has a
 * setter for each value whole and flat setters for their parts. A setter replaces what was set
 * ({@code args}, {@code env(Map)}, {@code labels}, {@code dependsOn}, {@code watch}); {@code add...}
 * and {@code env(key, value)}, {@code label(key, value)} add; every optional part has a
 * {@code clear...}.
 */
public final class ProcessSpec {

    /** The default name of the variable holding the instance id, as PM2's {@code instance_var}. */
    public static final String DEFAULT_INSTANCE_VAR = "TSPM_INSTANCE_ID";
    /** The default name of the variable holding the instance's port, as PM2's {@code increment_var}. */
    public static final String DEFAULT_PORT_VAR = "PORT";
    /** The variable holding the process name, set for every child. */
    public static final String PROCESS_NAME_VAR = "TSPM_PROCESS_NAME";
    /** The namespace of a process that names none. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** How long a stop waits after the stop signal before SIGKILL, unless set. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
    /** Without a readiness probe, a process that stayed up this long is RUNNING (supervisord's startsecs). */
    public static final Duration DEFAULT_READY_AFTER = Duration.ofMillis(100);

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A POSIX user or group name, or a numeric id. */
    private static final Pattern POSIX_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?|[0-9]{1,10}");

    /** Which of the three ways the program is given. */
    public enum Kind {
        /** An argv command, no shell. */
        COMMAND,
        /** A script run by an interpreter (or directly). */
        SCRIPT,
        /** A line run by {@code /bin/sh -c}. */
        SHELL
    }

    private final String name;
    private final String namespace;
    private final Map<String, String> labels;
    private final Program program;
    private final List<String> args;
    private final Path workingDirectory;
    private final Environment env;
    private final InstanceSettings instanceSettings;
    private final int nice;
    private final String user;
    private final String group;
    private final StopSettings stop;
    private final List<Dependency> dependencies;
    private final RestartPolicy restartPolicy;
    private final boolean restartPolicySet;
    private final RestartStrategy restartStrategy;
    private final Duration readyAfter;
    private final int exitHistorySize;
    private final OutputSettings output;
    private final HealthChecks health;
    private final MemoryPolicy memory;
    private final CronSchedule cronRestart;
    private final WatchSettings watch;
    private final ReloadSettings reload;
    private final TrafficSettings traffic;
    private final Hooks hooks;
    private final boolean oneShot;
    private final boolean autostart;

    private ProcessSpec(Builder b, Program program, InstanceSettings instanceSettings) {
        this.name = b.name;
        this.namespace = b.namespace;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
        this.program = program;
        this.args = List.copyOf(b.args);
        this.workingDirectory = b.workingDirectory;
        this.env = b.env.build();
        this.instanceSettings = instanceSettings;
        this.nice = b.nice;
        this.user = b.user;
        this.group = b.group;
        this.stop = b.stop;
        List<Dependency> deps = new ArrayList<>();
        b.dependencies.forEach((n, c) -> deps.add(new Dependency(n, c)));
        this.dependencies = List.copyOf(deps);
        this.restartPolicySet = b.restartPolicy != null;
        this.restartPolicy = b.restartPolicy != null ? b.restartPolicy
                : b.oneShot ? RestartPolicy.never() : RestartPolicy.defaults();
        this.restartStrategy = b.restartStrategy;
        this.readyAfter = b.readyAfter;
        this.exitHistorySize = b.exitHistorySize;
        this.output = b.output;
        this.health = b.health;
        this.memory = b.memory;
        this.cronRestart = b.cronRestart;
        this.watch = b.watch;
        this.reload = b.reload;
        this.traffic = b.traffic;
        this.hooks = b.hooks.build();
        this.oneShot = b.oneShot;
        this.autostart = b.autostart;
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
        b.program = program;
        b.args.addAll(args);
        b.workingDirectory = workingDirectory;
        b.env = env.toBuilder();
        b.instances = instanceSettings.toBuilder();
        b.nice = nice;
        b.user = user;
        b.group = group;
        b.stop = stop;
        dependencies.forEach(d -> b.dependencies.put(d.name(), d.condition()));
        b.restartPolicy = restartPolicySet ? restartPolicy : null;
        b.restartStrategy = restartStrategy;
        b.readyAfter = readyAfter;
        b.exitHistorySize = exitHistorySize;
        b.output = output;
        b.health = health;
        b.memory = memory;
        b.cronRestart = cronRestart;
        b.watch = watch;
        b.reload = reload;
        b.traffic = traffic;
        b.hooks = hooks.toBuilder();
        b.oneShot = oneShot;
        b.autostart = autostart;
        return b;
    }

    /**
     * The argv the supervisor executes (before the program is looked up on {@code PATH}): the
     * command and its args; the interpreter, the script and the args; or {@code /bin/sh -c line
     * name args...} for a shell line (the args become {@code $1...}).
     */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        if (program instanceof Program.Command) {
            argv.addAll(((Program.Command) program).argv());
        } else if (program instanceof Program.Script) {
            argv.addAll(interpreter());
            argv.add(((Program.Script) program).path().toString());
        } else {
            argv.addAll(List.of("/bin/sh", "-c", ((Program.Shell) program).line(), name));
        }
        argv.addAll(args);
        return List.copyOf(argv);
    }

    /** The process name. */
    public String name() {
        return name;
    }

    /** The namespace it belongs to (default {@value #DEFAULT_NAMESPACE}). */
    public String namespace() {
        return namespace;
    }

    /** Its labels, for selectors ({@link LabelSelector}) and for whoever reads snapshots. */
    public Map<String, String> labels() {
        return labels;
    }

    /** What it runs. */
    public Program program() {
        return program;
    }

    /** Which of the three ways the program is given. */
    public Kind kind() {
        return program.kind();
    }

    /** The command argv without {@link #args()}; empty unless {@link #kind()} is COMMAND. */
    public List<String> command() {
        return program instanceof Program.Command ? ((Program.Command) program).argv() : List.of();
    }

    /** The script, when the program is one. */
    public Optional<Path> script() {
        return program instanceof Program.Script ? Optional.of(((Program.Script) program).path()) : Optional.empty();
    }

    /** The interpreter argv for a script (explicit or inferred); empty when the script runs directly. */
    public List<String> interpreter() {
        if (!(program instanceof Program.Script)) {
            return List.of();
        }
        Program.Script s = (Program.Script) program;
        return s.interpreter().isEmpty() ? inferInterpreter(s.path()) : s.interpreter();
    }

    /** The shell line, when the program is one. */
    public Optional<String> shell() {
        return program instanceof Program.Shell ? Optional.of(((Program.Shell) program).line()) : Optional.empty();
    }

    /** Arguments after the command or the script, or a shell line's {@code $1...}. */
    public List<String> args() {
        return args;
    }

    /** The working directory; empty means the host JVM's. */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** The environment settings whole. */
    public Environment env() {
        return env;
    }

    /** Whether the child starts from the host JVM's environment. */
    public boolean inheritEnvironment() {
        return env.inherit();
    }

    /** Variables set for the child, on top of the inherited environment and the env file. */
    public Map<String, String> environment() {
        return env.variables();
    }

    /** Inherited variables removed for the child. */
    public Set<String> removedEnvironment() {
        return env.removed();
    }

    /** The dotenv file read at every spawn, if any. */
    public Optional<Path> envFile() {
        return env.envFile();
    }

    /** The instance count and ports whole. */
    public InstanceSettings instanceSettings() {
        return instanceSettings;
    }

    /** How many instances run. */
    public int instances() {
        return instanceSettings.count();
    }

    /** The variable that holds the instance id. */
    public String instanceVar() {
        return instanceSettings.instanceVar();
    }

    /** The port of instance 0; instance {@code i} gets {@code basePort + i}. Empty when not set. */
    public OptionalInt basePort() {
        return instanceSettings.basePort();
    }

    /**
     * Whether each instance gets a port that was free when it started ({@link Builder#freePorts()})
     * rather than {@code basePort + id}.
     */
    public boolean freePorts() {
        return instanceSettings.freePorts();
    }

    /** The variable that holds the instance's port. */
    public String portVar() {
        return instanceSettings.portVar();
    }

    /**
     * The distance between the two ports of a slot: during a reload the replacement of instance i
     * listens on {@code basePort + i + span} while the old one keeps {@code basePort + i}. Follows
     * {@link #instances()} unless set.
     */
    public int reloadPortSpan() {
        return instanceSettings.reloadPortSpan();
    }

    /** The scheduling priority, as {@code nice -n}. */
    public int nice() {
        return nice;
    }

    /** The user the child runs as, when not the supervisor's. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The group the child runs as, when set with {@link #user()}; else the user's primary group. */
    public Optional<String> group() {
        return Optional.ofNullable(group);
    }

    /** The stop settings whole. */
    public StopSettings stop() {
        return stop;
    }

    /** The signal that asks the process tree to stop. */
    public Signal stopSignal() {
        return stop.signal();
    }

    /** How long a stop waits after the stop signal before SIGKILL. */
    public Duration stopTimeout() {
        return stop.timeout();
    }

    /** The processes this one needs, and what it waits for in each. */
    public List<Dependency> dependencies() {
        return dependencies;
    }

    /** The names of the processes this one needs: it starts after them and stops before them. */
    public List<String> dependsOn() {
        List<String> names = new ArrayList<>(dependencies.size());
        dependencies.forEach(d -> names.add(d.name()));
        return List.copyOf(names);
    }

    /** When and how soon an instance that exited is started again (NEVER by default for a one-shot). */
    public RestartPolicy restartPolicy() {
        return restartPolicy;
    }

    /** What else restarts when an instance exits and is restarted. */
    public RestartStrategy restartStrategy() {
        return restartStrategy;
    }

    /**
     * Without a readiness probe, how long a spawned process must stay up to be RUNNING (supervisord's
     * {@code startsecs}, default 100 ms); zero means RUNNING as soon as it is spawned, as for a one-shot.
     */
    public Duration readyAfter() {
        return readyAfter != null ? readyAfter : oneShot ? Duration.ZERO : DEFAULT_READY_AFTER;
    }

    /** How many exits each instance keeps in its {@linkplain ProcessInstance#exitHistory() history}. */
    public int exitHistorySize() {
        return exitHistorySize;
    }

    /** The output settings whole. */
    public OutputSettings output() {
        return output;
    }

    /** Whether stdout and stderr are read (to files, SLF4J, the ring, listeners); else discarded. */
    public boolean captureOutput() {
        return output.capture();
    }

    /** Whether stderr is merged into stdout (one pipe, one reader). */
    public boolean mergeStderr() {
        return output.mergeStderr();
    }

    /** Where the output goes: files, SLF4J, the ring of recent lines. */
    public LogSettings logs() {
        return output.logs();
    }

    /** The probes whole. */
    public HealthChecks health() {
        return health;
    }

    /** Gates the other probes until the process has started; failing it fails the start. */
    public Optional<ProbeSettings> startupProbe() {
        return health.startup();
    }

    /** Decides RUNNING (ready) and what load balancing may pick. */
    public Optional<ProbeSettings> readinessProbe() {
        return health.readiness();
    }

    /** Failing it restarts the instance through the restart policy. */
    public Optional<ProbeSettings> livenessProbe() {
        return health.liveness();
    }

    /** Every configured probe's settings, startup first. */
    public List<ProbeSettings> probes() {
        return health.all();
    }

    /** The memory limit whole. */
    public MemoryPolicy memory() {
        return memory;
    }

    /** The memory limit of an instance's process tree, in bytes; empty for none. */
    public OptionalLong maxMemory() {
        return memory.limit();
    }

    /** How many samples in a row over {@link #maxMemory()} restart the instance. */
    public int memoryLimitSamples() {
        return memory.samples();
    }

    /** Whether an instance over its memory limit is restarted or replaced by a reload. */
    public MemoryLimitAction memoryLimitAction() {
        return memory.action();
    }

    /** The share of {@link #maxMemory()} whose crossing sends a {@link io.tspm.event.MemoryLimitWarning}. */
    public double memoryWarningRatio() {
        return memory.warningRatio();
    }

    /** When running instances are restarted on a schedule (PM2's {@code cron_restart}); empty for never. */
    public Optional<CronSchedule> cronRestart() {
        return Optional.ofNullable(cronRestart);
    }

    /** The watch whole. */
    public WatchSettings watch() {
        return watch;
    }

    /** Paths watched (recursively) for changes that restart the running instances; empty for none. */
    public List<Path> watchPaths() {
        return watch.paths();
    }

    /** Glob patterns of changes the watch ignores (matched against the path relative to the watched root). */
    public List<String> watchIgnore() {
        return watch.ignore();
    }

    /** How long the watch waits after the last change of a burst before it restarts. */
    public Duration watchDebounce() {
        return watch.debounce();
    }

    /** How traffic reaches the instances: strategy, weights, panic threshold, proxy. */
    public TrafficSettings traffic() {
        return traffic;
    }

    /** The load-balancing strategy of the group's picks; empty for the default, round-robin. */
    public Optional<LoadBalancer> loadBalancer() {
        return traffic.loadBalancer();
    }

    /** The port of the TCP proxy the supervisor opens in front of the group; empty for none. */
    public OptionalInt proxyPort() {
        return traffic.proxyPort();
    }

    /** The reload settings whole. */
    public ReloadSettings reload() {
        return reload;
    }

    /** How many instances a rolling reload replaces at a time. */
    public int reloadBatch() {
        return reload.batch();
    }

    /** How long a reload waits for a replacement to be ready before it gives up (keeping the old one). */
    public Duration reloadTimeout() {
        return reload.timeout();
    }

    /** How long an old instance keeps running after its replacement took over, to finish what it serves. */
    public Duration reloadDrain() {
        return reload.drain();
    }

    /** The lifecycle hooks. */
    public Hooks hooks() {
        return hooks;
    }

    /**
     * Whether this is a one-shot task ({@code initdb}, a migration): it runs to completion, exit 0 is
     * success and it is never restarted after success; {@code start()} waits until it has finished.
     */
    public boolean oneShot() {
        return oneShot;
    }

    /** Whether {@link Supervisor#start()} starts this process. */
    public boolean autostart() {
        return autostart;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ProcessSpec)) {
            return false;
        }
        ProcessSpec s = (ProcessSpec) o;
        return name.equals(s.name) && namespace.equals(s.namespace) && labels.equals(s.labels)
                && program.equals(s.program) && args.equals(s.args) && Objects.equals(workingDirectory, s.workingDirectory)
                && env.equals(s.env) && instanceSettings.equals(s.instanceSettings) && nice == s.nice
                && Objects.equals(user, s.user) && Objects.equals(group, s.group) && stop.equals(s.stop)
                && dependencies.equals(s.dependencies) && restartPolicy.equals(s.restartPolicy)
                && restartStrategy == s.restartStrategy && readyAfter().equals(s.readyAfter())
                && exitHistorySize == s.exitHistorySize && output.equals(s.output) && health.equals(s.health)
                && memory.equals(s.memory) && Objects.equals(cronRestart, s.cronRestart) && watch.equals(s.watch)
                && reload.equals(s.reload) && traffic.equals(s.traffic) && hooks.equals(s.hooks) && oneShot == s.oneShot && autostart == s.autostart;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, labels, program, args, workingDirectory, env, instanceSettings, nice, user,
                group, stop, dependencies, restartPolicy, restartStrategy, readyAfter(), exitHistorySize, output, health,
                memory, cronRestart, watch, reload, traffic, hooks, oneShot, autostart);
    }

    /** The name, the program and every setting that is not the default. */
    @Override
    public String toString() {
        ProcessSpec d = builder(name).program(program).build();
        List<String> set = new ArrayList<>();
        set.add(program.toString());
        if (!args.isEmpty()) {
            set.add("args=" + args);
        }
        if (!namespace.equals(d.namespace)) {
            set.add("namespace=" + namespace);
        }
        if (!labels.isEmpty()) {
            set.add("labels=" + labels);
        }
        if (workingDirectory != null) {
            set.add("workingDirectory=" + workingDirectory);
        }
        addIfChanged(set, env, d.env);
        addIfChanged(set, instanceSettings, d.instanceSettings);
        if (nice != 0) {
            set.add("nice=" + nice);
        }
        user().ifPresent(u -> set.add("user=" + u + (group == null ? "" : ":" + group)));
        addIfChanged(set, stop, d.stop);
        if (!dependencies.isEmpty()) {
            set.add("dependsOn=" + dependencies);
        }
        addIfChanged(set, restartPolicy, d.restartPolicy);
        if (restartStrategy != d.restartStrategy) {
            set.add("restartStrategy=" + restartStrategy);
        }
        if (!readyAfter().equals(d.readyAfter())) {
            set.add("readyAfter=" + Human.duration(readyAfter()));
        }
        if (exitHistorySize != d.exitHistorySize) {
            set.add("exitHistorySize=" + exitHistorySize);
        }
        addIfChanged(set, output, d.output);
        addIfChanged(set, health, d.health);
        addIfChanged(set, memory, d.memory);
        cronRestart().ifPresent(c -> set.add("cronRestart='" + c + "'"));
        addIfChanged(set, watch, d.watch);
        addIfChanged(set, reload, d.reload);
        addIfChanged(set, traffic, d.traffic);
        addIfChanged(set, hooks, d.hooks);
        if (oneShot) {
            set.add("oneShot");
        }
        if (!autostart) {
            set.add("autostart=false");
        }
        return "ProcessSpec{" + name + ": " + String.join(", ", set) + "}";
    }

    private static void addIfChanged(List<String> set, Object value, Object byDefault) {
        if (!value.equals(byDefault)) {
            set.add(value.toString());
        }
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

    private static String checkPosixName(String field, String value) {
        Objects.requireNonNull(value, field);
        if (!POSIX_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be a user or group name (letters, digits, '_', '.', '-',"
                    + " starting with a letter or '_'; at most 32) or a numeric id, but was '" + value + "'");
        }
        return value;
    }

    /**
     * Builds a {@link ProcessSpec}. Each setter checks its own value; {@link #build()} checks how
     * they combine, and copies, so the builder can be reused.
     */
    public static final class Builder {
        private final String name;
        private String namespace = DEFAULT_NAMESPACE;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Program program;
        /** An interpreter given before (or without) the script it is for; applied at build(). */
        private List<String> pendingInterpreter;
        private final List<String> args = new ArrayList<>();
        private Path workingDirectory;
        private Environment.Builder env = Environment.builder();
        private InstanceSettings.Builder instances = InstanceSettings.builder();
        private int nice;
        private String user;
        private String group;
        private StopSettings stop = StopSettings.DEFAULTS;
        private final Map<String, DependencyCondition> dependencies = new LinkedHashMap<>();
        private RestartPolicy restartPolicy;
        private RestartStrategy restartStrategy = RestartStrategy.ONE_FOR_ONE;
        private Duration readyAfter;
        private int exitHistorySize = 100;
        private OutputSettings output = OutputSettings.DEFAULTS;
        private HealthChecks health = HealthChecks.NONE;
        private MemoryPolicy memory = MemoryPolicy.NONE;
        private CronSchedule cronRestart;
        private WatchSettings watch = WatchSettings.NONE;
        private ReloadSettings reload = ReloadSettings.DEFAULTS;
        private TrafficSettings traffic = TrafficSettings.DEFAULTS;
        private Hooks.Builder hooks = Hooks.builder();
        private boolean oneShot;
        private boolean autostart = true;

        Builder(String name) {
            this.name = checkName("name", name);
        }

        // ---- the program ------------------------------------------------------------------

        /** What it runs (replaces a command, script or shell set before). */
        public Builder program(Program program) {
            this.program = Objects.requireNonNull(program, "program");
            this.pendingInterpreter = null;
            return this;
        }

        /** The program and its arguments, run without a shell. */
        public Builder command(String... argv) {
            Objects.requireNonNull(argv, "command");
            return command(Arrays.asList(argv.clone()));
        }

        /** The program and its arguments, run without a shell. */
        public Builder command(List<String> argv) {
            return program(new Program.Command(argv));
        }

        /**
         * A script to run. The interpreter comes from its extension ({@code .sh} sh, {@code .jar}
         * java -jar, {@code .java} java, {@code .py} python3, {@code .js} node; java is the host
         * JVM's) unless {@link #interpreter(String...)} names one; any other script runs directly.
         */
        public Builder script(Path script) {
            List<String> interpreter = pendingInterpreter;
            program(Program.script(script));
            pendingInterpreter = interpreter;
            return this;
        }

        /** The interpreter (and its options) for {@link #script(Path)}; wins over the inferred one. */
        public Builder interpreter(String... argv) {
            Objects.requireNonNull(argv, "interpreter");
            return interpreter(Arrays.asList(argv.clone()));
        }

        /** The interpreter (and its options) for {@link #script(Path)}; wins over the inferred one. */
        public Builder interpreter(List<String> argv) {
            this.pendingInterpreter = List.copyOf(Checks.argv("interpreter", argv, true));
            return this;
        }

        /** A command line run by {@code /bin/sh -c}: only when a shell is really wanted. */
        public Builder shell(String commandLine) {
            return program(new Program.Shell(commandLine));
        }

        /** Replaces the arguments after the command, the script, or the shell line's {@code $1...}. */
        public Builder args(String... args) {
            Objects.requireNonNull(args, "args");
            return args(Arrays.asList(args));
        }

        /** Replaces the arguments; see {@link #args(String...)}. */
        public Builder args(Collection<String> args) {
            Objects.requireNonNull(args, "args");
            List<String> checked = Checks.argv("args", new ArrayList<>(args), false);
            this.args.clear();
            this.args.addAll(checked);
            return this;
        }

        /** Appends one argument. */
        public Builder addArg(String arg) {
            this.args.addAll(Checks.argv("args", Collections.singletonList(arg), false));
            return this;
        }

        /** Appends arguments. */
        public Builder addArgs(Collection<String> args) {
            Objects.requireNonNull(args, "args");
            this.args.addAll(Checks.argv("args", new ArrayList<>(args), false));
            return this;
        }

        /** The working directory (default the host JVM's). */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = Objects.requireNonNull(dir, "workingDirectory");
            return this;
        }

        /** Back to the host JVM's working directory. */
        public Builder clearWorkingDirectory() {
            this.workingDirectory = null;
            return this;
        }

        // ---- the environment --------------------------------------------------------------

        /** The environment settings whole. */
        public Builder env(Environment environment) {
            this.env = Objects.requireNonNull(environment, "env").toBuilder();
            return this;
        }

        /** Whether the child starts from the host JVM's environment (default true). */
        public Builder inheritEnvironment(boolean inherit) {
            env.inherit(inherit);
            return this;
        }

        /** Sets one variable; wins over the inherited environment and the env file. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Replaces the variables set with {@code env}. */
        public Builder env(Map<String, String> env) {
            this.env.variables(env);
            return this;
        }

        /** Removes an inherited variable from the child's environment. */
        public Builder removeEnv(String key) {
            env.remove(key);
            return this;
        }

        /**
         * A dotenv file ({@code KEY=value} lines, {@code #} comments, optional {@code export},
         * single or double quotes) read at every spawn; its variables go under {@link #env}.
         */
        public Builder envFile(Path file) {
            env.envFile(file);
            return this;
        }

        /** No env file. */
        public Builder clearEnvFile() {
            env.clearEnvFile();
            return this;
        }

        // ---- instances and ports ----------------------------------------------------------

        /** The instance count and ports whole. */
        public Builder instanceSettings(InstanceSettings settings) {
            this.instances = Objects.requireNonNull(settings, "instanceSettings").toBuilder();
            return this;
        }

        /** How many instances run (default 1; 0 declares the process without running it). */
        public Builder instances(int instances) {
            this.instances.count(instances);
            return this;
        }

        /** The variable that holds the instance id (default {@value #DEFAULT_INSTANCE_VAR}). */
        public Builder instanceVar(String variable) {
            instances.instanceVar(variable);
            return this;
        }

        /** Hands instance {@code i} the port {@code basePort + i} in {@link #portVar(String)}. */
        public Builder basePort(int port) {
            instances.basePort(port);
            return this;
        }

        /**
         * Hands each instance a port that is free when it starts, instead of {@code basePort + i}
         * (replaces a {@link #basePort(int)}): the instance finds it in {@link #portVar(String)},
         * {@code {port}} (command, arguments, environment, probes) and {@link ProcessInstance#port()}.
         * It keeps the port across restarts while the port is still free, and gets another free
         * one when it was taken meanwhile. A reload's replacement runs beside the old instance, so
         * it gets a second free port, which the slot keeps from then on. Free means: nothing
         * listened on it when asked, and no other instance in this JVM holds it, so test classes
         * in parallel running the same spec never clash.
         */
        public Builder freePorts() {
            instances.freePorts();
            return this;
        }

        /** Instances get no port (neither a base port nor free ports). */
        public Builder clearBasePort() {
            instances.clearBasePort();
            return this;
        }

        /** The variable that holds the instance's port (default {@value #DEFAULT_PORT_VAR}). */
        public Builder portVar(String variable) {
            instances.portVar(variable);
            return this;
        }

        /** The distance between a slot's two ports during reloads (default: the number of instances). */
        public Builder reloadPortSpan(int span) {
            instances.reloadPortSpan(span);
            return this;
        }

        /** The span follows the number of instances again. */
        public Builder clearReloadPortSpan() {
            instances.clearReloadPortSpan();
            return this;
        }

        // ---- identity -----------------------------------------------------------------------

        /** The namespace it belongs to (default {@value #DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            this.namespace = checkName("namespace", namespace);
            return this;
        }

        /** Sets one label. */
        public Builder label(String key, String value) {
            Objects.requireNonNull(key, "label key");
            Objects.requireNonNull(value, "label value of " + key);
            if (key.isBlank()) {
                throw new IllegalArgumentException("label key must not be blank, but was '" + key + "'");
            }
            labels.put(key, value);
            return this;
        }

        /** Replaces the labels with {@code labels}. */
        public Builder labels(Map<String, String> labels) {
            Objects.requireNonNull(labels, "labels");
            Map<String, String> copy = new LinkedHashMap<>(labels);
            this.labels.clear();
            copy.forEach(this::label);
            return this;
        }

        /** The scheduling priority, as {@code nice -n}: -20 (highest) .. 19 (lowest), default 0. */
        public Builder nice(int nice) {
            this.nice = Checks.range("nice", nice, -20, 19);
            return this;
        }

        /**
         * Runs the child as {@code user} (a name or a numeric id), with that user's groups
         * ({@code setpriv --reuid --regid --init-groups}): PostgreSQL and many servers refuse to run
         * as root. The supervisor needs the privilege to switch (root, or CAP_SETUID/CAP_SETGID).
         */
        public Builder user(String user) {
            this.user = checkPosixName("user", user);
            this.group = null;
            return this;
        }

        /** Runs the child as {@code user} and {@code group} (names or numeric ids). */
        public Builder user(String user, String group) {
            this.user = checkPosixName("user", user);
            this.group = checkPosixName("group", group);
            return this;
        }

        /** Runs the child as the supervisor's user. */
        public Builder clearUser() {
            this.user = null;
            this.group = null;
            return this;
        }

        /** Whether {@link Supervisor#start()} starts this process (default true). */
        public Builder autostart(boolean autostart) {
            this.autostart = autostart;
            return this;
        }

        /**
         * A one-shot task ({@code initdb}, a migration): it runs to completion, exit 0 is success
         * and it is never restarted after success; its output is captured and its tree reaped like
         * any process's; {@code start()} waits for it to finish and throws with its last lines
         * when it fails. Its restart policy is NEVER unless set (ON_FAILURE retries a failure;
         * ALWAYS is refused); it takes no readiness or liveness probe and no readyAfter.
         */
        public Builder oneShot(boolean oneShot) {
            this.oneShot = oneShot;
            return this;
        }

        // ---- stopping ---------------------------------------------------------------------

        /** The stop settings whole. */
        public Builder stop(StopSettings stop) {
            this.stop = Objects.requireNonNull(stop, "stop");
            return this;
        }

        /** The signal that asks the process tree to stop (default SIGTERM). */
        public Builder stopSignal(Signal signal) {
            this.stop = stop.withSignal(signal);
            return this;
        }

        /** How long a stop waits after the stop signal before SIGKILL (default 5 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stop = stop.withTimeout(timeout);
            return this;
        }

        // ---- dependencies -----------------------------------------------------------------

        /** Replaces the dependencies with these processes, each waited for until ready. */
        public Builder dependsOn(String... names) {
            Objects.requireNonNull(names, "dependsOn");
            return dependsOn(Arrays.asList(names));
        }

        /** Replaces the dependencies with these processes, each waited for until ready. */
        public Builder dependsOn(Collection<String> names) {
            Objects.requireNonNull(names, "dependsOn");
            List<String> copy = new ArrayList<>(names);
            copy.forEach(n -> checkName("dependsOn", n));
            dependencies.clear();
            copy.forEach(n -> dependencies.put(n, DependencyCondition.READY));
            return this;
        }

        /**
         * Adds a dependency (or changes what is waited for in it): this process starts once
         * {@code name} meets {@code condition}, and stops before it.
         */
        public Builder addDependency(String name, DependencyCondition condition) {
            Dependency d = new Dependency(name, condition);
            dependencies.put(d.name(), d.condition());
            return this;
        }

        /** Replaces the dependencies. */
        public Builder dependencies(Collection<Dependency> dependencies) {
            Objects.requireNonNull(dependencies, "dependencies");
            List<Dependency> copy = new ArrayList<>(dependencies);
            this.dependencies.clear();
            copy.forEach(d -> this.dependencies.put(Objects.requireNonNull(d, "dependency").name(), d.condition()));
            return this;
        }

        /** No dependencies. */
        public Builder clearDependencies() {
            dependencies.clear();
            return this;
        }

        // ---- restarts -----------------------------------------------------------------------

        /** When and how soon an exited instance is started again (default ON_FAILURE with backoff; NEVER for a one-shot). */
        public Builder restartPolicy(RestartPolicy policy) {
            this.restartPolicy = Objects.requireNonNull(policy, "restartPolicy");
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
            this.exitHistorySize = Checks.range("exitHistorySize", size, 1, 100_000);
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

        /** No cron restarts. */
        public Builder clearCronRestart() {
            this.cronRestart = null;
            return this;
        }

        // ---- output -------------------------------------------------------------------------

        /** The output settings whole. */
        public Builder output(OutputSettings output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Whether output is read (default true); when false it goes to /dev/null and no pipe is held. */
        public Builder captureOutput(boolean capture) {
            this.output = output.withCapture(capture);
            return this;
        }

        /** Merges stderr into stdout: one pipe and one reader instead of two. */
        public Builder mergeStderr(boolean merge) {
            this.output = output.withMergeStderr(merge);
            return this;
        }

        /** Where the output goes (default {@link LogSettings#defaults()}). */
        public Builder logs(LogSettings logs) {
            this.output = output.withLogs(logs);
            return this;
        }

        // ---- probes -------------------------------------------------------------------------

        /** The probes whole. */
        public Builder health(HealthChecks health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** A startup probe: the others wait for it; failing it fails the start at once. */
        public Builder startupProbe(ProbeSettings settings) {
            this.health = health.withStartup(Objects.requireNonNull(settings, "startupProbe"));
            return this;
        }

        /** A startup probe with {@link ProbeSettings#startupBuilder} defaults (every 100 ms, 30 s in all). */
        public Builder startupProbe(Probe probe) {
            return startupProbe(ProbeSettings.startupBuilder(probe).build());
        }

        /** No startup probe. */
        public Builder clearStartupProbe() {
            this.health = health.withStartup(null);
            return this;
        }

        /** A readiness probe: the instance is RUNNING once it passes; replaces {@link #readyAfter}. */
        public Builder readinessProbe(ProbeSettings settings) {
            this.health = health.withReadiness(Objects.requireNonNull(settings, "readinessProbe"));
            return this;
        }

        /** A readiness probe with {@link ProbeSettings#builder} defaults. */
        public Builder readinessProbe(Probe probe) {
            return readinessProbe(ProbeSettings.builder(probe).build());
        }

        /** No readiness probe. */
        public Builder clearReadinessProbe() {
            this.health = health.withReadiness(null);
            return this;
        }

        /** A liveness probe: failing it past its threshold restarts the instance (restart policy applies). */
        public Builder livenessProbe(ProbeSettings settings) {
            this.health = health.withLiveness(Objects.requireNonNull(settings, "livenessProbe"));
            return this;
        }

        /** A liveness probe with {@link ProbeSettings#builder} defaults. */
        public Builder livenessProbe(Probe probe) {
            return livenessProbe(ProbeSettings.builder(probe).build());
        }

        /** No liveness probe. */
        public Builder clearLivenessProbe() {
            this.health = health.withLiveness(null);
            return this;
        }

        // ---- memory -------------------------------------------------------------------------

        /** The memory limit whole. */
        public Builder memory(MemoryPolicy memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
            return this;
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
            this.memory = memory.withMaxBytes(bytes);
            return this;
        }

        /** No memory limit. */
        public Builder clearMaxMemory() {
            this.memory = memory.withMaxBytes(0);
            return this;
        }

        /** Samples in a row over the memory limit before a restart, 1..1000 (default 3). */
        public Builder memoryLimitSamples(int samples) {
            this.memory = memory.withSamples(samples);
            return this;
        }

        /** Restart (default) or, without downtime, reload an instance over its memory limit. */
        public Builder memoryLimitAction(MemoryLimitAction action) {
            this.memory = memory.withAction(action);
            return this;
        }

        /** The share of maxMemory, in (0, 1), whose crossing warns before the limit acts (default 0.8). */
        public Builder memoryWarningRatio(double ratio) {
            this.memory = memory.withWarningRatio(ratio);
            return this;
        }

        // ---- watch --------------------------------------------------------------------------

        /** The watch whole. */
        public Builder watch(WatchSettings watch) {
            this.watch = Objects.requireNonNull(watch, "watch");
            return this;
        }

        /**
         * Restarts the running instances when a file under these paths changes (PM2's {@code watch}),
         * recursively, once a burst of changes has been quiet for {@link #watchDebounce}. Relative
         * paths are resolved against the working directory. Watching the process's own log
         * directory (a restart loop) is refused unless an ignore pattern excludes it. Replaces
         * the paths set before.
         */
        public Builder watch(Path... paths) {
            Objects.requireNonNull(paths, "watch");
            return watch(Arrays.asList(paths));
        }

        /** Replaces the watched paths; see {@link #watch(Path...)}. */
        public Builder watch(Collection<Path> paths) {
            Objects.requireNonNull(paths, "watch");
            this.watch = watch.withPaths(new ArrayList<>(paths));
            return this;
        }

        /** Replaces the glob patterns ({@code "**}{@code /*.log"}, {@code "node_modules/**"}) of changes the watch ignores. */
        public Builder watchIgnore(String... globs) {
            Objects.requireNonNull(globs, "watchIgnore");
            return watchIgnore(Arrays.asList(globs));
        }

        /** Replaces the ignore globs; see {@link #watchIgnore(String...)}. */
        public Builder watchIgnore(Collection<String> globs) {
            Objects.requireNonNull(globs, "watchIgnore");
            this.watch = watch.withIgnore(new ArrayList<>(globs));
            return this;
        }

        /** How long changes must stop before the restart (default 500 ms). */
        public Builder watchDebounce(Duration debounce) {
            this.watch = watch.withDebounce(debounce);
            return this;
        }

        /** No watch. */
        public Builder clearWatch() {
            this.watch = WatchSettings.NONE;
            return this;
        }

        // ---- reload -------------------------------------------------------------------------

        /** The reload settings whole. */
        public Builder reload(ReloadSettings reload) {
            this.reload = Objects.requireNonNull(reload, "reload");
            return this;
        }

        /** How many instances a rolling reload replaces at a time, 1..10000 (default 1). */
        public Builder reloadBatch(int instancesAtATime) {
            this.reload = reload.withBatch(instancesAtATime);
            return this;
        }

        /** How long a reload waits for a replacement to be ready (default 60 s); then it keeps the old one. */
        public Builder reloadTimeout(Duration timeout) {
            this.reload = reload.withTimeout(timeout);
            return this;
        }

        /** How long an old instance runs on after its replacement took over (default 1 s). */
        public Builder reloadDrain(Duration drain) {
            this.reload = reload.withDrain(drain);
            return this;
        }

        // ---- traffic ------------------------------------------------------------------------

        /** The traffic settings whole. */
        public Builder traffic(TrafficSettings traffic) {
            this.traffic = Objects.requireNonNull(traffic, "traffic");
            return this;
        }

        /**
         * The strategy {@link ProcessGroup#pick} and a proxy use (default round-robin; the others are
         * in tspm-loadbalancer's {@code Strategies}).
         */
        public Builder loadBalancer(LoadBalancer loadBalancer) {
            this.traffic = traffic.withLoadBalancer(Objects.requireNonNull(loadBalancer, "loadBalancer"));
            return this;
        }

        /** Back to round-robin. */
        public Builder clearLoadBalancer() {
            this.traffic = traffic.withLoadBalancer(null);
            return this;
        }

        /** The weight of each instance by id, each at least 1 (an instance past the end weighs 1). */
        public Builder weights(int... weights) {
            List<Integer> list = new ArrayList<>(weights.length);
            for (int w : weights) {
                list.add(w);
            }
            return weights(list);
        }

        /** The weight of each instance by id, each at least 1 (an instance past the end weighs 1). */
        public Builder weights(Collection<Integer> weights) {
            this.traffic = traffic.withWeights(weights);
            return this;
        }

        /** Every instance weighs 1. */
        public Builder clearWeights() {
            this.traffic = traffic.withWeights(List.of());
            return this;
        }

        /** Below this share (0..1) of instances taking traffic, pick among every live one; see {@link TrafficSettings}. */
        public Builder panicThreshold(double share) {
            this.traffic = traffic.withPanicThreshold(share);
            return this;
        }

        /**
         * A TCP proxy on {@code port} (1..65535) in front of the group, opened when the process is
         * added and closed when it is removed; needs a {@link io.tspm.spi.ProxyFactory} on the
         * class path (tspm-loadbalancer).
         */
        public Builder proxyPort(int port) {
            this.traffic = traffic.withProxyPort(port);
            return this;
        }

        /** No proxy. */
        public Builder clearProxyPort() {
            this.traffic = traffic.withProxyPort(null);
            return this;
        }

        // ---- hooks --------------------------------------------------------------------------

        /** The hooks whole. */
        public Builder hooks(Hooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks").toBuilder();
            return this;
        }

        /** Runs before every spawn of an instance; see {@link Hooks}. */
        public Builder preStart(Hook hook) {
            hooks.preStart(hook);
            return this;
        }

        /** Runs once an instance is ready; see {@link Hooks}. */
        public Builder postStart(Hook hook) {
            hooks.postStart(hook);
            return this;
        }

        /** Runs before the stop signal; see {@link Hooks}. */
        public Builder preStop(Hook hook) {
            hooks.preStop(hook);
            return this;
        }

        /** Runs after the process tree is gone; see {@link Hooks}. */
        public Builder postStop(Hook hook) {
            hooks.postStop(hook);
            return this;
        }

        /** No hooks. */
        public Builder clearHooks() {
            this.hooks = Hooks.builder();
            return this;
        }

        /** Checks how the settings combine, and builds. */
        public ProcessSpec build() {
            if (program == null) {
                throw new IllegalStateException("process '" + name + "': a program must be set: command, script or"
                        + " shell");
            }
            Program p = program;
            if (pendingInterpreter != null) {
                if (!(p instanceof Program.Script)) {
                    throw new IllegalStateException("process '" + name + "': interpreter " + pendingInterpreter
                            + " is set but the program is a " + p.kind().name().toLowerCase(Locale.ROOT)
                            + ", not a script");
                }
                p = new Program.Script(((Program.Script) p).path(), pendingInterpreter);
            }
            InstanceSettings inst;
            try {
                inst = instances.build();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("process '" + name + "': " + e.getMessage(), e);
            }
            if (dependencies.containsKey(name)) {
                throw new IllegalStateException("process '" + name + "' must not depend on itself");
            }
            Map<String, String> vars = env.build().variables();
            for (String reserved : List.of(inst.instanceVar(), PROCESS_NAME_VAR)) {
                if (vars.containsKey(reserved)) {
                    throw new IllegalStateException("process '" + name + "': env sets " + reserved
                            + ", which the supervisor sets for every instance");
                }
            }
            if (inst.hasPorts() && vars.containsKey(inst.portVar())) {
                throw new IllegalStateException("process '" + name + "': env sets " + inst.portVar() + ", which "
                        + (inst.freePorts() ? "freePorts" : "basePort " + inst.basePort().getAsInt())
                        + " sets for every instance");
            }
            if (inst.instanceVar().equals(PROCESS_NAME_VAR)
                    || (inst.hasPorts() && inst.portVar().equals(PROCESS_NAME_VAR))) {
                throw new IllegalStateException("process '" + name + "': instanceVar and portVar must not be "
                        + PROCESS_NAME_VAR);
            }
            if (traffic.proxyPort().isPresent() && inst.basePort().isPresent()) {
                int proxy = traffic.proxyPort().getAsInt();
                int base = inst.basePort().getAsInt();
                int end = base + 2 * inst.reloadPortSpan(); // both lanes of every slot
                if (proxy >= base && proxy < end) {
                    throw new IllegalStateException("process '" + name + "': proxyPort " + proxy
                            + " is one of its instances' ports (" + base + ".." + (end - 1) + ")");
                }
            }
            if (oneShot) {
                checkOneShot();
            }
            return new ProcessSpec(this, p, inst);
        }

        private void checkOneShot() {
            String why = null;
            if (restartPolicy != null && restartPolicy.mode() == RestartMode.ALWAYS) {
                why = "restartPolicy ALWAYS would run it again after every success (use ON_FAILURE to retry a failure)";
            } else if (health.readiness().isPresent()) {
                why = "a readiness probe has nothing to wait for: a one-shot is done when it exits 0";
            } else if (health.liveness().isPresent()) {
                why = "a liveness probe would restart a task that is meant to end";
            } else if (readyAfter != null) {
                why = "readyAfter has no meaning: a one-shot is done when it exits 0";
            }
            if (why != null) {
                throw new IllegalStateException("process '" + name + "' is a one-shot task: " + why);
            }
        }
    }
}
