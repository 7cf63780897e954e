package io.tspm.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few long-lived threads that spawn every child of a supervisor, taking spawns from one queue.
 * Each must outlive its children: Linux's parent-death signal fires when the <em>thread</em> that
 * spawned a child dies, so a pool that replaces a failed worker would kill that worker's children.
 * Tasks never escape the loop. Several threads, because a spawn blocks its thread until the child
 * has exec'd (posix_spawn's vfork; jspawnhelper's too): while some wait on the kernel, the others
 * prepare and start the next children.
 */
final class Launcher {

    /**
     * How many threads a supervisor spawns from. Measured with 100 and 1,000 {@code sleep} children
     * on 2 cores (native path): 4 started them in 540-640 ms and 5.0 s, 2 in 640-960 ms and 5.4 s;
     * a spawn's thread mostly waits on the kernel, so 4 keep both cores busy where 2 did not.
     */
    static final int THREADS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final Runnable POISON = () -> { };

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final int threads;
    private volatile boolean closed;

    /** @param threads how many threads spawn (the name gets -1, -2, ... when more than one) */
    Launcher(String threadName, int threads) {
        this.threads = threads;
        for (int i = 1; i <= threads; i++) {
            Thread t = new Thread(null, this::loop, threads == 1 ? threadName : threadName + "-" + i, 512 * 1024);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Runs {@code task} on a launcher thread. */
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


    /** Ends the threads after the queued tasks. Children still alive then get their death signal. */
    void close() {
        if (!closed) {
            closed = true;
            for (int i = 0; i < threads; i++) {
                queue.add(POISON);
            }
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
