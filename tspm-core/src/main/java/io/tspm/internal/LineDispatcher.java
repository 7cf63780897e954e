package io.tspm.internal;

import io.tspm.LineListener;
import io.tspm.LogSettings;
import io.tspm.OutputLine;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Hands lines to SLF4J and to line listeners on one thread per supervisor, so a slow logging
 * backend or listener never slows a pump (or the child behind it). The queue is bounded: when it
 * is full a line is dropped for them and counted on its instance; the files and the ring have it.
 */
final class LineDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(LineDispatcher.class);
    static final int CAPACITY = 16 * 1024;

    private record Delivery(InstanceOutput target, OutputLine line) {
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Object stop = new Object();
    private final Thread thread;
    private volatile boolean closed;

    LineDispatcher(String threadName) {
        thread = new Thread(null, this::loop, threadName, 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /** False when the queue is full: the caller counts the drop. */
    boolean offer(InstanceOutput target, OutputLine line) {
        return !closed && queue.offer(new Delivery(target, line));
    }

    void close() {
        closed = true;
        // Never block a closing supervisor on a full queue: make room for the stop marker.
        while (!queue.offer(stop)) {
            queue.poll();
        }
    }

    private void loop() {
        while (true) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (item == stop) {
                return;
            }
            Delivery d = (Delivery) item;
            try {
                d.target.deliver(d.line);
            } catch (Throwable t) {
                LOG.warn("delivering a line of {}#{} failed", d.line.process(), d.line.instanceId(), t);
            }
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
