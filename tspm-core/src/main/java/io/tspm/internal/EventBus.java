package io.tspm.internal;

import io.tspm.event.SupervisorEvent;
import io.tspm.event.SupervisorListener;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events in order on one daemon thread, so the engine never waits for a listener.
 * Publishing only enqueues, so it is safe under the engine's locks and keeps their order.
 *
 * <p>The queue is bounded as the output line buffers are: when the listeners fall
 * {@link #CAPACITY} events behind (one of them blocks, or is slow), newer events are dropped for
 * them and counted ({@link #dropped()}), with one warning per burst; they get events again once
 * they have caught up. Control items (a drain, the close) are never dropped.
 *
 * <p>Nothing in the library waits on an event (waits live on the instances), so a dropped event
 * loses a listener its news, never the engine its state.
 */
final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    /** Events that may wait for the listeners; past it, new ones are dropped for them (a few MiB). */
    static final int CAPACITY = 64 * 1024;

    private final String threadName;
    private final int capacity;
    private final CopyOnWriteArraySet<SupervisorListener> listeners = new CopyOnWriteArraySet<>();
    /** Events (at most {@code capacity}, counted by {@link #waiting}) and control items (unbounded, few). */
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    /** Dropped since the listeners last caught up; the first of a burst logs the warning. */
    private final AtomicLong droppedInBurst = new AtomicLong();
    private final Object stop = new Object();
    private final Thread thread;

    EventBus(String threadName) {
        this(threadName, CAPACITY);
    }

    EventBus(String threadName, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.threadName = threadName;
        this.capacity = capacity;
        thread = new Thread(null, this::loop, threadName, 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /** A user's listener: its events may be dropped when the listeners fall behind. */
    void add(SupervisorListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(SupervisorListener listener) {
        listeners.remove(listener);
    }

    /**
     * Hands {@code event} to the thread, for the listeners there are when it gets there. With no
     * listener and no debug log of events nobody would see it, and it is not queued: the thread's
     * wake-up for each event was a good part of a spawn's cost on the engine thread (a supervisor
     * embedded in a test or a host rarely has a listener). So an event published while there was
     * no listener at all is not kept for one added later.
     */
    void publish(SupervisorEvent event) {
        if (listeners.isEmpty() && !LOG.isDebugEnabled()) {
            return;
        }
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            drop(event);
            return;
        }
        queue.add(event);
    }

    /** Events the user's listeners did not get because they were {@code capacity} events behind. */
    long dropped() {
        return dropped.get();
    }

    private void drop(SupervisorEvent event) {
        dropped.incrementAndGet();
        if (droppedInBurst.getAndIncrement() == 0) {
            LOG.warn("event listeners fell {} events behind (thread {}): newer events, from this {} of '{}' on, are"
                            + " dropped for them until they catch up; a listener should return quickly and hand slow"
                            + " work to a thread of its own",
                    capacity, threadName, event.getClass().getSimpleName(), event.process());
        }
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
        CountDownLatch delivered = new CountDownLatch(1);
        queue.add(delivered);
        try {
            delivered.await(timeoutMillis, TimeUnit.MILLISECONDS);
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
            if (item instanceof CountDownLatch) {
                ((CountDownLatch) item).countDown();
                continue;
            }
            waiting.decrementAndGet();
            SupervisorEvent event = (SupervisorEvent) item;
            LOG.debug("{}", event);
            deliver(listeners, event);
            if (waiting.get() == 0 && droppedInBurst.get() > 0) {
                long n = droppedInBurst.getAndSet(0);
                if (n > 0) {
                    LOG.info("event listeners caught up; {} events were dropped for them ({} in all)", n, dropped.get());
                }
            }
        }
    }

    private static void deliver(Iterable<SupervisorListener> to, SupervisorEvent event) {
        for (SupervisorListener l : to) {
            try {
                l.onEvent(event);
            } catch (Throwable t) {
                LOG.warn("listener {} threw on {}", l, event, t);
            }
        }
    }
}
