package io.tspm.examples.runner.server;

import java.util.List;

/** What {@code tspm dev} watches for each process: its directory, less what changes without an edit. */
final class DevWatch {

    /** Globs relative to the watched directory: the runner's state and logs, VCS and build output. */
    static final List<String> IGNORED = List.of(".tspm", ".tspm/**", "**/.git/**", ".git/**", "target/**",
            "**/node_modules/**", "**/*.log", "**/*.tmp", "**/*~");

    private DevWatch() {
    }
}
