package io.tspm.internal;

import io.tspm.LineListener;
import io.tspm.LogSettings;
import io.tspm.OutputLine;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Hands lines to SLF4J and to line listeners on one thread per supervisor, so a slow logging
 * backend or listener never slows a pump (or the child behind it). Each instance queues its lines
 * in its own bounded {@link Inbox}, and the thread serves the inboxes that have lines in turn, a
 * batch at a time: a chatty process fills its own inbox and drops its own lines (counted on it),
 * not a quiet one's. A bound on all waiting lines together caps the memory; only when many
 * instances are chatty at once (16 full inboxes) does it make others drop lines too.
 * The files and the ring have every line either way.
 */
final class LineDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(LineDispatcher.class);
    /** Lines one instance may have waiting; past it, its new lines are dropped for SLF4J and listeners. */
    static final int CAPACITY = 4 * 1024;
    /** Lines all instances together may have waiting (a few MiB). */
    static final int TOTAL_CAPACITY = 64 * 1024;
    /** Lines delivered from one inbox before the next inbox's turn. */
    private static final int BATCH = 64;
    /** At close, how many waiting lines are still delivered before the rest are dropped. */
    private static final int DELIVERED_AT_CLOSE = 16 * 1024;

    /** One instance's waiting lines; it is in the ready queue at most once. */
    static final class Inbox {
        private final InstanceOutput target;
        private final ArrayDeque<OutputLine> lines = new ArrayDeque<>(2); // live per instance: most never hold a line
        private boolean queued; // guarded by this, with lines

        Inbox(InstanceOutput target) {
            this.target = target;
        }
    }

    private final BlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Object stop = new Object();
    private final Thread thread;
    private volatile boolean closed;

    LineDispatcher(String threadName) {
        thread = new Thread(null, this::loop, threadName, 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /** False when the instance's inbox is full (or the dispatcher closed): the caller counts the drop. */
    boolean offer(Inbox inbox, OutputLine line) {
        if (closed) {
            return false;
        }
        synchronized (inbox) {
            if (inbox.lines.size() >= CAPACITY) {
                return false;
            }
            if (waiting.incrementAndGet() > TOTAL_CAPACITY) {
                waiting.decrementAndGet();
                return false;
            }
            inbox.lines.add(line);
            if (inbox.queued) {
                return true;
            }
            inbox.queued = true;
        }
        ready.add(inbox);
        return true;
    }

    void close() {
        closed = true;
        ready.add(stop);
    }

    private void loop() {
        int budget = Integer.MAX_VALUE; // lines still delivered; bounded once closing
        OutputLine[] batch = new OutputLine[BATCH];
        while (true) {
            Object item;
            try {
                item = budget == Integer.MAX_VALUE ? ready.take() : ready.poll(); // closing: until all are served
            } catch (InterruptedException e) {
                continue;
            }
            if (item == null) {
                return; // closing, and every inbox is served
            }
            if (item == stop) {
                budget = DELIVERED_AT_CLOSE;
                continue;
            }
            Inbox inbox = (Inbox) item;
            int n = 0;
            synchronized (inbox) {
                while (n < BATCH && !inbox.lines.isEmpty()) {
                    batch[n++] = inbox.lines.poll();
                }
                waiting.addAndGet(-n);
                if (inbox.lines.isEmpty()) {
                    inbox.queued = false;
                } else {
                    ready.add(inbox); // its next batch waits for the others' turn
                }
            }
            for (int i = 0; i < n; i++) {
                if (budget > 0) {
                    deliver(inbox.target, batch[i]);
                    if (budget != Integer.MAX_VALUE) {
                        budget--;
                    }
                }
                batch[i] = null;
            }
        }
    }

    private static void deliver(InstanceOutput target, OutputLine line) {
        try {
            target.deliver(line);
        } catch (Throwable t) {
            LOG.warn("delivering a line of {}#{} failed", line.process(), line.instanceId(), t);
        }
    }

    /** Logs a line through SLF4J at {@code level}, with the process and instance in the MDC. */
    static void log(Logger logger, Level level, OutputLine line) {
        MDC.put(LogSettings.MDC_PROCESS, line.process());
        MDC.put(LogSettings.MDC_INSTANCE, Integer.toString(line.instanceId()));
        try {
            logger.atLevel(level).log(line.text());
        } finally {
            MDC.remove(LogSettings.MDC_PROCESS);
            MDC.remove(LogSettings.MDC_INSTANCE);
        }
    }

    static void notify(LineListener listener, OutputLine line) {
        try {
            listener.onLine(line);
        } catch (Throwable t) {
            LOG.warn("line listener {} threw on a line of {}#{}", listener, line.process(), line.instanceId(), t);
        }
    }
}
