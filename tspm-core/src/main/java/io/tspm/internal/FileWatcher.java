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

        void cancel() {
            cancelled = true;
            synchronized (this) {
                if (pending != null) {
                    pending.cancel(false);
                }
            }
        }

        private boolean ignored(Path changed) {
            for (Path root : roots) {
                if (changed.startsWith(root)) {
                    Path rel = root.relativize(changed);
                    for (PathMatcher m : ignore) {
                        if (m.matches(rel) || (rel.getFileName() != null && m.matches(rel.getFileName()))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private synchronized void changed(Path path) {
            if (cancelled || ignored(path)) {
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
        for (Path root : absolute) {
            if (!Files.exists(root)) {
                throw new IOException("watch path " + root + " of process '" + name + "' does not exist");
            }
            registerTree(Files.isDirectory(root) ? root : root.getParent(), w);
        }
        return w;
    }

    private void registerTree(Path dir, Watch w) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (d != dir && w.ignored(d)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                WatchKey key = d.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                dirs.put(key, d);
                keys.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(w);
                return FileVisitResult.CONTINUE;
            }
        });
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
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(changed)) {
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
                dirs.remove(key);
                keys.remove(key);
            }
        }
    }
}
