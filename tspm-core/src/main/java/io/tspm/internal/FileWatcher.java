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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches directories recursively for the processes that ask for it, with one JDK
 * {@link WatchService} and one daemon thread per supervisor (started on first use). A change that
 * no ignore pattern matches (re)arms the watcher's debounce timer; when a burst has been quiet
 * that long, its action runs once.
 */
final class FileWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    /** One process's watch: its roots, ignore patterns, debounce and action. */
    final class Watch {
        private final String name;
        private final List<Path> roots;
        private final List<PathMatcher> ignore;
        private final Duration debounce;
        private final Runnable action;
        /** Roots that are single files: only changes of exactly these count in their directories. */
        private final List<Path> files = new ArrayList<>();
        private final List<WatchKey> ownKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
        private Future<?> pending;
        private volatile boolean cancelled;

        private Watch(String name, List<Path> roots, List<String> ignore, Duration debounce, Runnable action) {
            this.name = name;
            this.roots = roots;
            List<PathMatcher> m = new ArrayList<>();
            ignore.forEach(g -> m.add(FileSystems.getDefault().getPathMatcher("glob:" + g)));
            this.ignore = m;
            this.debounce = debounce;
            this.action = action;
        }

        /** Stops the watch and gives its directory watches back (inotify watches are a limited resource). */
        void cancel() {
            cancelled = true;
            synchronized (this) {
                if (pending != null) {
                    pending.cancel(false);
                }
            }
            for (WatchKey k : ownKeys) {
                List<Watch> ws = keys.get(k);
                if (ws != null) {
                    ws.remove(this);
                    if (ws.isEmpty()) {
                        k.cancel();
                        keys.remove(k);
                        dirs.remove(k);
                    }
                }
            }
        }

        /** A change is ignored when a pattern matches it, its name, or any directory on its way down. */
        private boolean ignored(Path changed) {
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

        private boolean relevant(Path changed) {
            if (files.isEmpty()) {
                return true;
            }
            if (files.contains(changed)) {
                return true;
            }
            for (Path r : roots) {
                if (!files.contains(r) && changed.startsWith(r)) {
                    return true;
                }
            }
            return false;
        }

        private synchronized void changed(Path path) {
            if (cancelled || !relevant(path) || ignored(path)) {
                return;
            }
            if (pending != null) {
                pending.cancel(false);
            }
            pending = engine.schedule(this::fire, debounce);
        }

        private void fire() {
            if (!cancelled) {
                LOG.info("files changed under {}: restarting '{}'", roots, name);
                action.run();
            }
        }
    }

    private final Engine engine;
    private final Map<WatchKey, List<Watch>> keys = new ConcurrentHashMap<>();
    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread thread;

    FileWatcher(Engine engine) {
        this.engine = engine;
    }

    /** Starts watching {@code roots} (directories or files) for {@code name}; {@code action} runs per quiet burst. */
    synchronized Watch watch(String name, List<Path> roots, List<String> ignore, Duration debounce, Runnable action)
            throws IOException {
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            thread = new Thread(null, this::loop, "tspm-" + engine.name + "-watch", 256 * 1024);
            thread.setDaemon(true);
            thread.start();
        }
        List<Path> absolute = new ArrayList<>();
        roots.forEach(r -> absolute.add(r.toAbsolutePath().normalize()));
        Watch w = new Watch(name, absolute, ignore, debounce, action);
        try {
            for (Path root : absolute) {
                if (!Files.exists(root)) {
                    throw new IOException("watch path " + root + " of process '" + name + "' does not exist");
                }
                if (Files.isDirectory(root)) {
                    registerTree(root, w);
                } else {
                    w.files.add(root); // a single file: its directory, not recursively, and only its events
                    register(root.getParent(), w);
                }
            }
        } catch (IOException | RuntimeException e) {
            w.cancel(); // nothing half-registered stays behind
            throw e;
        }
        return w;
    }

    private void registerTree(Path dir, Watch w) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (w.ignored(d)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                register(d, w);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void register(Path d, Watch w) throws IOException {
        WatchKey key = d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        dirs.put(key, d);
        keys.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(w);
        w.ownKeys.add(key);
    }

    synchronized void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException ignored) {
                // the thread ends on ClosedWatchServiceException
            }
        }
    }

    private void loop() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            Path dir = dirs.get(key);
            List<Watch> watches = keys.getOrDefault(key, List.of());
            for (WatchEvent<?> event : key.pollEvents()) {
                Path changed = event.kind() == StandardWatchEventKinds.OVERFLOW || dir == null ? dir
                        : dir.resolve((Path) event.context());
                if (changed == null) {
                    continue;
                }
                for (Watch w : watches) {
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(changed)
                            && w.files.isEmpty() && !w.ignored(changed)) {
                        try {
                            registerTree(changed, w); // a new subdirectory is watched too
                        } catch (IOException e) {
                            LOG.warn("cannot watch new directory {}: {}", changed, e.toString());
                        }
                    }
                    w.changed(changed);
                }
            }
            if (!key.reset()) {
                // The directory is gone (deleted, or a build replaced it): it is not watched any more.
                for (Watch w : watches) {
                    if (w.roots.contains(dir) && !w.cancelled) {
                        LOG.warn("watched directory {} of '{}' was deleted; it is no longer watched", dir, w.name);
                    }
                }
                dirs.remove(key);
                keys.remove(key);
            }
        }
    }
}
