package io.tspm.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches directories recursively for the processes that ask for it, with one JDK
 * {@link WatchService} and one daemon thread per supervisor (started on first use). A change that
 * no ignore pattern matches (re)arms the watch's debounce timer on the supervisor's scheduler;
 * when a burst has been quiet that long, its action runs once.
 *
 * <p>The JDK hands out one {@link WatchKey} per directory and service, so processes watching the
 * same or overlapping directories share keys. Each key therefore lists the watches that
 * registered it, and a key is cancelled only when its last watch gives it back. Registering and
 * giving back happen under one lock, so a key is never cancelled after another watch was handed
 * it.
 */
final class FileWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    /**
     * How one watch registered one directory: as part of a tree (every change counts, new
     * subdirectories are watched too) or as the parent of a watched file (only that file counts).
     */
    private record Registration(Path dir, boolean tree) {
    }

    /** One process's watch: its roots, ignore patterns, debounce and action. */
    final class Watch {
        private final String name;
        private final List<Path> roots;
        private final List<PathMatcher> ignore;
        private final Duration debounce;
        private final Runnable action;
        /** Roots that are single files: only changes of exactly these count in their directories. */
        private final Set<Path> files;
        /** The keys this watch holds; guarded by the watcher's lock. */
        private final Set<WatchKey> keys = new HashSet<>();
        /** Set under the watcher's lock: from then on nothing is registered for this watch. */
        private volatile boolean cancelled;
        private Future<?> pending; // guarded by this
        private long generation; // guarded by this: which arming may fire

        private Watch(String name, List<Path> roots, Set<Path> files, List<String> ignore, Duration debounce,
                Runnable action) {
            this.name = name;
            this.roots = roots;
            this.files = files;
            List<PathMatcher> m = new ArrayList<>();
            for (String g : ignore) {
                m.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
                if (g.startsWith("**/")) {
                    // As in .gitignore, a leading **/ matches at the root too (**/*.log ignores debug.log):
                    // the JDK's glob wants at least one directory before it.
                    m.add(FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)));
                }
            }
            this.ignore = m;
            this.debounce = debounce;
            this.action = action;
        }

        /** Stops the watch and gives its directory watches back (inotify watches are a limited resource). */
        void cancel() {
            release(this);
            Future<?> timer;
            synchronized (this) {
                timer = pending;
                pending = null;
                generation++; // a timer armed meanwhile does not fire
            }
            if (timer != null) {
                timer.cancel(false);
            }
        }

        /** A change is ignored when a pattern matches it, its name, or any directory on its way down. */
        boolean ignored(Path changed) {
            for (Path root : roots) {
                if (!changed.startsWith(root) || changed.equals(root)) {
                    continue;
                }
                Path rel = root.relativize(changed);
                for (int n = 1; n <= rel.getNameCount(); n++) {
                    Path prefix = rel.subpath(0, n);
                    for (PathMatcher m : ignore) {
                        if (m.matches(prefix) || m.matches(prefix.getFileName())
                                || m.matches(prefix.resolve("x"))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private boolean counts(Registration r, Path changed) {
            return (r.tree || files.contains(changed)) && !ignored(changed);
        }

        /**
         * (Re)arms the debounce: the action runs once the changes have been quiet that long. The
         * timer is decided under the lock and scheduled after it (the scheduler may be the user's);
         * only the latest arming may fire.
         */
        private void changed() {
            Future<?> before;
            long armed;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                before = pending;
                pending = null;
                armed = ++generation;
            }
            if (before != null) {
                before.cancel(false);
            }
            Future<?> timer = engine.schedule(() -> fire(armed), debounce);
            boolean stale;
            synchronized (this) {
                stale = armed != generation;
                if (!stale) {
                    pending = timer;
                }
            }
            if (stale) {
                timer.cancel(false); // a later change or the cancel came first
            }
        }

        private void fire(long armed) {
            synchronized (this) {
                if (armed != generation) {
                    return; // re-armed or cancelled after this timer was set
                }
            }
            if (!cancelled) {
                LOG.info("files changed under {}: restarting '{}'", roots, name);
                action.run();
            }
        }
    }

    private final Engine engine;
    private final Object lock = new Object();
    /** Per key, the watches that registered it and how; guarded by lock. */
    private final Map<WatchKey, Map<Watch, Registration>> registrations = new HashMap<>();
    private WatchService service; // guarded by lock
    private boolean closed; // guarded by lock

    FileWatcher(Engine engine) {
        this.engine = engine;
    }

    /**
     * Starts watching {@code roots} (directories or files) for {@code name}; {@code action} runs per
     * quiet burst. Nothing stays registered when it throws.
     */
    Watch watch(String name, List<Path> roots, List<String> ignore, Duration debounce, Runnable action)
            throws IOException {
        List<Path> absolute = new ArrayList<>();
        Set<Path> files = new HashSet<>();
        for (Path r : roots) {
            Path root = r.toAbsolutePath().normalize();
            if (!Files.exists(root)) {
                throw new IOException("watch path " + root + " of process '" + name + "' does not exist");
            }
            if (!Files.isDirectory(root)) {
                files.add(root);
            }
            absolute.add(root);
        }
        Watch w = new Watch(name, List.copyOf(absolute), Set.copyOf(files), ignore, debounce, action);
        try {
            for (Path root : w.roots) {
                if (w.files.contains(root)) {
                    register(root.getParent(), w, false); // a single file: its directory, not recursively
                } else {
                    registerTree(root, w);
                }
            }
        } catch (IOException | RuntimeException e) {
            w.cancel(); // nothing half-registered stays behind
            throw e;
        }
        return w;
    }

    /** How many directories are watched now, for all watches together. */
    int watchedDirectories() {
        synchronized (lock) {
            return registrations.size();
        }
    }

    private void registerTree(Path dir, Watch w) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (w.ignored(d)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                register(d, w, true);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Registers one directory for {@code w}, unless it was cancelled meanwhile. */
    private void register(Path dir, Watch w, boolean tree) throws IOException {
        synchronized (lock) {
            if (w.cancelled) {
                return;
            }
            WatchKey key = dir.register(service(), StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            Map<Watch, Registration> byWatch = registrations.computeIfAbsent(key, k -> new LinkedHashMap<>());
            Registration before = byWatch.get(w);
            // One watch may reach a directory twice (overlapping roots): as part of a tree wins.
            byWatch.put(w, new Registration(dir, tree || (before != null && before.tree)));
            w.keys.add(key);
        }
    }

    /** Gives back every key of {@code w}; a key no other watch holds is cancelled. */
    private void release(Watch w) {
        synchronized (lock) {
            w.cancelled = true;
            for (WatchKey key : w.keys) {
                Map<Watch, Registration> byWatch = registrations.get(key);
                if (byWatch != null) {
                    byWatch.remove(w);
                    if (byWatch.isEmpty()) {
                        registrations.remove(key);
                        key.cancel(); // under the lock: no register can be handed this key meanwhile
                    }
                }
            }
            w.keys.clear();
        }
    }

    /** The service, and its thread, on first use; guarded by lock. */
    private WatchService service() throws IOException {
        if (closed) {
            throw new IllegalStateException("supervisor '" + engine.name + "' is closed: it watches no more files");
        }
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            Thread thread = new Thread(null, this::loop, "tspm-" + engine.name + "-watch", 256 * 1024);
            thread.setDaemon(true);
            thread.start();
        }
        return service;
    }

    void close() {
        WatchService s;
        synchronized (lock) {
            closed = true;
            s = service;
        }
        if (s != null) {
            try {
                s.close(); // the thread ends on ClosedWatchServiceException
            } catch (IOException e) {
                LOG.debug("closing the watch service failed", e);
            }
        }
    }

    private void loop() {
        WatchService s;
        synchronized (lock) {
            s = service;
        }
        while (true) {
            WatchKey key;
            try {
                key = s.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            try {
                handle(key);
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("handling changes of {} failed", key.watchable(), e);
            }
        }
    }

    private void handle(WatchKey key) {
        List<WatchEvent<?>> events = key.pollEvents();
        Map<Watch, Registration> targets;
        synchronized (lock) {
            Map<Watch, Registration> byWatch = registrations.get(key);
            targets = byWatch == null ? Map.of() : new LinkedHashMap<>(byWatch);
        }
        for (WatchEvent<?> event : events) {
            for (Map.Entry<Watch, Registration> t : targets.entrySet()) {
                Watch w = t.getKey();
                Registration r = t.getValue();
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    w.changed(); // the names were lost: something in the directory changed
                    continue;
                }
                Path changed = r.dir.resolve((Path) event.context());
                if (!w.counts(r, changed)) {
                    continue;
                }
                if (r.tree && event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(changed)) {
                    try {
                        registerTree(changed, w); // a new subdirectory is watched too
                    } catch (IOException e) {
                        LOG.warn("cannot watch new directory {} for '{}': {}", changed, w.name, e.toString());
                    }
                }
                w.changed();
            }
        }
        if (!key.reset()) {
            // The directory is gone (deleted, or a build replaced it): it is not watched any more.
            Map<Watch, Registration> gone;
            synchronized (lock) {
                gone = registrations.remove(key);
                if (gone != null) {
                    gone.keySet().forEach(w -> w.keys.remove(key));
                }
            }
            if (gone != null) {
                gone.forEach((w, r) -> {
                    if (w.roots.contains(r.dir) && !w.cancelled) {
                        LOG.warn("watched directory {} of '{}' was deleted; it is no longer watched", r.dir, w.name);
                    }
                });
            }
        }
    }
}
