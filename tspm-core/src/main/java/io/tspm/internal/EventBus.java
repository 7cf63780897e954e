package io.tspm.internal;

import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events in order on one daemon thread, so the engine never waits for a listener.
 * Publishing only enqueues, so it is safe under the engine's locks and keeps their order.
 */
final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final CopyOnWriteArraySet<SupervisorListener> listeners = new CopyOnWriteArraySet<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object stop = new Object();
    private final Thread thread;

    EventBus(String threadName) {
        thread = new Thread(null, this::loop, threadName, 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    void add(SupervisorListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(SupervisorListener listener) {
        listeners.remove(listener);
    }

    void publish(SupervisorEvent event) {
        queue.add(event);
    }

    /** Delivers what is queued, then ends the thread. */
    void close() {
        queue.add(stop);
    }

    /** Waits until every event published before this call was delivered (for an orderly close). */
    void drain(long timeoutMillis) {
        if (Thread.currentThread() == thread) {
            return;
        }
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        queue.add(latch);
        try {
            latch.await(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            if (item instanceof java.util.concurrent.CountDownLatch) {
                ((java.util.concurrent.CountDownLatch) item).countDown();
                continue;
            }
            SupervisorEvent event = (SupervisorEvent) item;
            LOG.debug("{}", event);
            for (SupervisorListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (Throwable t) {
                    LOG.warn("listener {} threw on {}", l, event, t);
                }
            }
        }
    }
}
