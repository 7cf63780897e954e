package io.tspm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Restarts on file changes (PM2's {@code watch}): the paths are watched recursively, changes that
 * match an ignore glob are left out, and a burst restarts once, when it has been quiet for the
 * debounce. No paths: no watch.
 *
 * @param paths    the watched paths, relative ones against the working directory
 * @param ignore   glob patterns of changes ignored, matched against the path relative to the root
 * @param debounce how long changes must stop before the restart (default 500 ms)
 */
public record WatchSettings(List<Path> paths, List<String> ignore, Duration debounce) {

    /** No watch. */
    public static final WatchSettings NONE = new WatchSettings(List.of(), List.of(), Duration.ofMillis(500));

    /** Checks and copies. */
    public WatchSettings {
        Objects.requireNonNull(paths, "watch");
        for (Path p : paths) {
            Objects.requireNonNull(p, "watch path");
        }
        paths = List.copyOf(paths);
        Objects.requireNonNull(ignore, "watchIgnore");
        for (String g : ignore) {
            Objects.requireNonNull(g, "watchIgnore glob");
            try {
                java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("watchIgnore must be glob patterns, but was '" + g + "': "
                        + e.getMessage(), e);
            }
        }
        ignore = List.copyOf(ignore);
        debounce = Durations.positive("watchDebounce", debounce);
    }

    /** Whether anything is watched. */
    public boolean enabled() {
        return !paths.isEmpty();
    }

    public WatchSettings withPaths(List<Path> paths) {
        return new WatchSettings(paths, ignore, debounce);
    }

    public WatchSettings withIgnore(List<String> ignore) {
        return new WatchSettings(paths, ignore, debounce);
    }

    public WatchSettings withDebounce(Duration debounce) {
        return new WatchSettings(paths, ignore, debounce);
    }

    @Override
    public String toString() {
        return enabled() ? "WatchSettings{" + paths + (ignore.isEmpty() ? "" : ", ignore " + ignore)
                + ", debounce " + Human.duration(debounce) + "}" : "WatchSettings{none}";
    }
}
