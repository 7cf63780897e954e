package io.tspm.examples.runner.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a save after changes, at most once a second: a burst of changes (a scale of ten instances)
 * is one save, a second after the previous one at the earliest.
 */
final class Autosave implements AutoCloseable {

    static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Runnable save;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tspm-autosave");
        t.setDaemon(true);
        return t;
    });
    private boolean pending;
    private long lastSave = System.nanoTime() - MIN_INTERVAL_NANOS;

    Autosave(Runnable save) {
        this.save = save;
    }

    /** Something changed: a save follows, within a second. */
    synchronized void changed() {
        if (pending || timer.isShutdown()) {
            return;
        }
        pending = true;
        long wait = Math.max(0, lastSave + MIN_INTERVAL_NANOS - System.nanoTime());
        timer.schedule(this::run, wait, TimeUnit.NANOSECONDS);
    }

    private void run() {
        synchronized (this) {
            pending = false;
            lastSave = System.nanoTime();
        }
        save.run();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
