package io.tspm.examples.runner.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code .tspm/} directory of one runner: its pid, the port and token of its control API,
 * its own log, the processes' logs and the saved dump. It sits next to the config, or is
 * {@code $TSPM_HOME}. Clients find it from the working directory upwards, as git finds {@code .git}.
 */
public final class StateDir {

    /** The directory name next to a config. */
    public static final String NAME = ".tspm";

    private final Path root;

    /** The state directory {@code root}. */
    public StateDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code $TSPM_HOME} when set, else {@code .tspm/} in the config's directory. */
    public static StateDir forConfig(Path configFile, Map<String, String> env) {
        String home = env.get("TSPM_HOME");
        if (home != null && !home.isBlank()) {
            return new StateDir(Path.of(home));
        }
        Path dir = configFile.toAbsolutePath().normalize().getParent();
        return new StateDir(dir.resolve(NAME));
    }

    /**
     * The state directory a client talks to: {@code $TSPM_HOME} when set, else the first
     * {@code .tspm/} holding a port file from {@code cwd} upwards. Every place looked at is added
     * to {@code looked}, for the message when there is none.
     */
    public static Optional<StateDir> locate(Path cwd, Map<String, String> env, List<Path> looked) {
        String home = env.get("TSPM_HOME");
        if (home != null && !home.isBlank()) {
            StateDir dir = new StateDir(Path.of(home));
            looked.add(dir.port());
            return Files.exists(dir.port()) ? Optional.of(dir) : Optional.empty();
        }
        for (Path p = cwd.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            StateDir dir = new StateDir(p.resolve(NAME));
            looked.add(dir.port());
            if (Files.exists(dir.port())) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The places {@link #locate} looks at, for a message. */
    public static String describe(List<Path> looked) {
        List<String> s = new ArrayList<>();
        looked.forEach(p -> s.add(p.toString()));
        return String.join(", ", s);
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /** The control API's port, written once it listens. */
    public Path port() {
        return root.resolve("port");
    }

    /** The bearer token of the control API (mode 0600). */
    public Path token() {
        return root.resolve("token");
    }

    /** The runner's pid. */
    public Path pid() {
        return root.resolve("tspm.pid");
    }

    /** What a detached runner prints (its start error included). */
    public Path runnerLog() {
        return root.resolve("runner.log");
    }

    /** Where processes write their logs unless their config says otherwise. */
    public Path logs() {
        return root.resolve("logs");
    }

    /** The path of the config the runner runs, for {@code apply} without a file. */
    public Path config() {
        return root.resolve("config");
    }

    /** How the last runner ended: its exit code and, in words, how its processes stopped. */
    public Path exit() {
        return root.resolve("exit");
    }

    /** The saved state ({@code save}, {@code resurrect}). */
    public Path dump() {
        return root.resolve("dump.yaml");
    }

    /** The previous saved state. */
    public Path dumpBackup() {
        return root.resolve("dump.yaml.bak");
    }

    /** Creates the directory, mode 0700 (it holds the token). */
    public StateDir create() {
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
            }
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** The pid in the pid file, if it names a live process. */
    public Optional<Long> livePid() {
        try {
            long pid = Long.parseLong(Files.readString(pid()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
