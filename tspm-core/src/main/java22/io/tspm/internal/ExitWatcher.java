package io.tspm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread for the exits of all of a supervisor's native children: it waits on their pidfds
 * with epoll, reaps each with {@code waitid(P_PIDFD)} when it becomes readable, and completes the
 * child's exit. No thread per child, and no JDK reaper thread.
 */
final class ExitWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);
    private static final int BATCH = 64;

    private final Arena arena = Arena.ofShared();
    /** The children's pidfds, each event carrying its pidfd. */
    private final Epoll epoll;
    private final Map<Integer, NativeProcess> watched = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;
    private boolean stopped; // guarded by this

    ExitWatcher(String threadName) {
        try {
            epoll = Epoll.open(Libc.callState(arena));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        thread = new Thread(null, this::loop, threadName, 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Watches {@code p}'s pidfd; non-zero when epoll refuses it (errno in {@code state}) or the
     * thread has ended ({@link #stopped}). Under the lock the thread decides to end under, so no
     * child is added to a loop that will never look again.
     */
    synchronized int watch(NativeProcess p, MemorySegment state) {
        if (stopped) {
            return -1;
        }
        int fd = p.pidfd();
        watched.put(fd, p);
        int rc = epoll.add(state, fd, fd);
        if (rc != 0) {
            watched.remove(fd);
        }
        return rc;
    }

    synchronized boolean stopped() {
        return stopped;
    }

    /** Whether the loop should end: closing and nothing left to wait for; once true, for good. */
    private synchronized boolean done() {
        if (closing && watched.isEmpty()) {
            stopped = true;
        }
        return stopped;
    }

    /** Ends the thread once every watched child has exited (the engine closes when none is left). */
    void close() {
        closing = true;
        epoll.wake();
    }

    private void loop() {
        MemorySegment state = Libc.callState(arena);
        MemorySegment events = arena.allocate(Libc.EPOLL_EVENT_BYTES * BATCH, 8);
        MemorySegment info = arena.allocate(Libc.SIGINFO_BYTES, 8);
        MemorySegment drain = arena.allocate(8);
        try {
            while (!done()) {
                int n = epoll.await(state, events, BATCH, -1);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno == Libc.EINTR) {
                        continue;
                    }
                    LOG.error("epoll_wait on the children's pidfds failed: {}; their exits are no longer seen",
                            Libc.describe(errno));
                    return;
                }
                for (int i = 0; i < n; i++) {
                    long data = Epoll.data(events, i);
                    if (data == Epoll.WAKE) {
                        epoll.drainWake(state, drain);
                    } else {
                        reap((int) data, state, info);
                    }
                }
            }
        } finally {
            synchronized (this) {
                stopped = true;
            }
            epoll.close(state);
            arena.close();
        }
    }

    private void reap(int fd, MemorySegment state, MemorySegment info) {
        NativeProcess p = watched.get(fd);
        if (p == null) {
            return;
        }
        info.fill((byte) 0);
        int rc = Libc.waitid(state, Libc.P_PIDFD, fd, info, Libc.WEXITED | Libc.WNOHANG);
        if (rc == 0 && info.get(Libc.INT, Libc.SIGINFO_PID) == 0) {
            return; // readable but not yet reapable: wait for the next event
        }
        int value;
        if (rc != 0) {
            LOG.error("waitid for pid {} failed: {}", p.pid(), Libc.describe(Libc.errno(state)));
            value = 128 + 9;
        } else {
            int code = info.get(Libc.INT, Libc.SIGINFO_CODE);
            int status = info.get(Libc.INT, Libc.SIGINFO_STATUS);
            value = code == Libc.CLD_EXITED ? status : 128 + status; // the JDK's encoding of a death by signal
        }
        watched.remove(fd);
        epoll.remove(state, fd);
        try {
            p.exited(value);
        } catch (RuntimeException e) {
            LOG.error("completing the exit of pid {} failed", p.pid(), e);
        }
    }
}
