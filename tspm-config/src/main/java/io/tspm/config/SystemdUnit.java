package io.tspm.config;

import io.tspm.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A systemd unit that runs the {@code tspm} runner on a config at boot (PM2's {@code startup}):
 * {@code ExecStart} with absolute paths, {@code Restart=on-failure}, {@code KillMode=mixed} (the
 * runner gets the stop signal and stops its processes itself; what is left gets SIGKILL), a
 * {@code TimeoutStopSec} longer than the longest stop timeout of the processes, the config's
 * directory as {@code WorkingDirectory}, and the user.
 */
public final class SystemdUnit {

    private SystemdUnit() {
    }

    /**
     * The unit's text.
     *
     * @param launcher the {@code tspm} launcher (made absolute)
     * @param config   the config file (made absolute)
     * @param specs    its processes, for the stop timeout
     * @param user     the user to run as; null for root
     */
    public static String of(Path launcher, Path config, List<ProcessSpec> specs, String user) {
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(config, "config");
        Path exe = launcher.toAbsolutePath().normalize();
        Path file = config.toAbsolutePath().normalize();
        Duration longest = Duration.ZERO;
        for (ProcessSpec s : specs) {
            Duration stop = s.stopTimeout().plus(s.hooks().preStop().isPresent() ? s.stopTimeout() : Duration.ZERO);
            if (stop.compareTo(longest) > 0) {
                longest = stop;
            }
        }
        long timeoutStop = longest.toSeconds() + 30; // its own stop, the hooks' and some room
        if (user != null && !user.matches("[a-z_][a-z0-9_-]*[$]?")) {
            throw new IllegalArgumentException("user must be a user name, but was '" + user + "'");
        }
        StringBuilder u = new StringBuilder();
        u.append("[Unit]\n");
        u.append("Description=TSPM runner for ").append(file).append('\n');
        u.append("After=network-online.target\n");
        u.append("Wants=network-online.target\n\n");
        u.append("[Service]\n");
        u.append("Type=simple\n");
        if (user != null) {
            u.append("User=").append(user).append('\n');
        }
        u.append("WorkingDirectory=").append(quote(file.getParent().toString())).append('\n');
        u.append("ExecStart=").append(quote(exe.toString())).append(" run ").append(quote(file.toString()))
                .append('\n');
        u.append("Restart=on-failure\n");
        u.append("RestartSec=2\n");
        u.append("KillMode=mixed\n");
        u.append("KillSignal=SIGTERM\n");
        u.append("TimeoutStopSec=").append(timeoutStop).append('\n');
        u.append("\n[Install]\n");
        u.append("WantedBy=multi-user.target\n");
        return u.toString();
    }

    /** A path as systemd reads it: quoted when it has a space, quote or backslash. */
    private static String quote(String s) {
        if (s.matches("[A-Za-z0-9/._@%+=:,-]+")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
