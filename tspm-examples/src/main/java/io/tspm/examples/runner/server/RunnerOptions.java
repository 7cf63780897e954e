package io.tspm.examples.runner.server;

import io.tspm.examples.runner.state.StateDir;
import java.nio.file.Path;

/**
 * How a runner runs.
 *
 * @param config      the config file; null to restore the saved dump instead
 * @param state       its {@code .tspm/} directory
 * @param dev         watch every process's directory and restart on changes ({@code tspm dev})
 * @param autosave    save the state after every change, at most once a second
 * @param listenHost  the address the control API listens on (loopback unless {@code allowRemote})
 * @param listenPort  its port; 0 for any free one
 * @param allowRemote whether a non-loopback {@code listenHost} is allowed
 * @param profile     the config's profile to select ({@code env_<profile>}, {@code profiles.<profile>}); null for none
 */
public record RunnerOptions(Path config, StateDir state, boolean dev, boolean autosave, String listenHost,
        int listenPort, boolean allowRemote, String profile) {

    /** Loads {@code file} with the profile. */
    public io.tspm.config.TspmConfig load(Path file) {
        io.tspm.config.ConfigLoader loader = io.tspm.config.TspmConfig.loader();
        return (profile == null ? loader : loader.profile(profile)).load(file);
    }

    /** Whether the runner restores the dump rather than loading a config. */
    public boolean resurrect() {
        return config == null;
    }
}
