package io.tspm.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one long-lived thread that spawns every child of a supervisor. It must outlive all of them:
 * Linux's parent-death signal fires when the <em>thread</em> that spawned a child dies, so a pool
 * that replaces a failed worker would kill that worker's children. Tasks never escape the loop.
 */
final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final Runnable POISON = () -> { };

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    Launcher(String threadName) {
        this.thread = new Thread(null, this::loop, threadName, 512 * 1024);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code task} on the launcher thread. */
    <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the supervisor is closed"));
            return result;
        }
        queue.add(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }


    /** Ends the thread after the queued tasks. Children still alive then get their death signal. */
    void close() {
        if (!closed) {
            closed = true;
            queue.add(POISON);
        }
    }

    private void loop() {
        while (true) {
            Runnable r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                // Never die on interrupt: this thread's death would kill every child.
                continue;
            }
            if (r == POISON) {
                return;
            }
            try {
                r.run();
            } catch (Throwable t) {
                LOG.error("launcher task failed", t);
            }
        }
    }
}
