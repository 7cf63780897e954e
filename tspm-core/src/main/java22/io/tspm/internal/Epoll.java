package io.tspm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An epoll set with an eventfd in it that wakes the one thread waiting on the set: what the exit
 * thread (pidfds) and the output thread (pipes) each loop on. Each registered descriptor carries a
 * 64-bit number of its owner's choosing; the wake-up carries {@link #WAKE}, so owners number
 * theirs from 1 (or by something never 0, such as a descriptor above 2).
 */
final class Epoll {

    /** The data of the wake-up event. */
    static final long WAKE = 0;

    private final int epfd;
    private final int wakeFd;

    private Epoll(int epfd, int wakeFd) {
        this.epfd = epfd;
        this.wakeFd = wakeFd;
    }

    /** A new set holding its eventfd; on failure nothing stays open. */
    static Epoll open(MemorySegment state) {
        int epfd = Libc.epollCreate1(state, Libc.O_CLOEXEC);
        if (epfd < 0) {
            throw new IllegalStateException("epoll_create1: " + Libc.describe(Libc.errno(state)));
        }
        int wakeFd = Libc.eventfd(state, 0, Libc.O_CLOEXEC);
        Epoll set = new Epoll(epfd, wakeFd);
        if (wakeFd < 0 || set.add(state, wakeFd, WAKE) != 0) {
            String why = Libc.describe(Libc.errno(state));
            if (wakeFd >= 0) {
                Libc.close(state, wakeFd);
            }
            Libc.close(state, epfd);
            throw new IllegalStateException("eventfd: " + why);
        }
        return set;
    }

    /** Watches {@code fd} for input, its events carrying {@code data}; non-zero with errno in {@code state}. */
    int add(MemorySegment state, int fd, long data) {
        return ctl(state, Libc.EPOLL_CTL_ADD, fd, data, Libc.EPOLLIN);
    }

    /** Changes what {@code fd} is watched for (0: nothing, while it stays in the set). */
    int modify(MemorySegment state, int fd, long data, int events) {
        return ctl(state, Libc.EPOLL_CTL_MOD, fd, data, events);
    }

    /** Stops watching {@code fd}. */
    int remove(MemorySegment state, int fd) {
        return Libc.epollCtl(state, epfd, Libc.EPOLL_CTL_DEL, fd, MemorySegment.NULL);
    }

    private int ctl(MemorySegment state, int op, int fd, long data, int events) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(Libc.EPOLL_EVENT_BYTES, 8);
            ev.set(Libc.INT, 0, events);
            ev.set(ValueLayout.JAVA_LONG_UNALIGNED, Libc.EPOLL_DATA, data);
            return Libc.epollCtl(state, epfd, op, fd, ev);
        }
    }

    /** epoll_wait into {@code events} (room for {@code max}); the count, or -1 with errno in {@code state}. */
    int await(MemorySegment state, MemorySegment events, int max, int timeoutMillis) {
        return Libc.epollWait(state, epfd, events, max, timeoutMillis);
    }

    /** The data of event {@code i} of what {@link #await} returned. */
    static long data(MemorySegment events, int i) {
        return events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * Libc.EPOLL_EVENT_BYTES + Libc.EPOLL_DATA);
    }

    /** Wakes the waiting thread (from any thread). */
    void wake() {
        Libc.wake(wakeFd);
    }

    /** Takes the wake-ups that came (on the waiting thread, after a {@link #WAKE} event); {@code buf} holds 8 bytes. */
    void drainWake(MemorySegment state, MemorySegment buf) {
        Libc.read(state, wakeFd, buf, 8);
    }

    /** Closes the set and its eventfd (on the waiting thread, when it ends). */
    void close(MemorySegment state) {
        Libc.close(state, epfd);
        Libc.close(state, wakeFd);
    }
}
