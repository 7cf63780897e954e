package io.tspm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread for the output of all of a supervisor's native children: their pipes' read ends,
 * non-blocking, in one level-triggered epoll set. Each turn reads at most {@link #CHUNK} bytes from
 * each ready pipe, so a child writing as fast as it can gets one read per turn like every other,
 * and hands them to the stream's {@link LineSplitter}; at end of stream it ends the splitter,
 * closes the pipe and completes the stream's future. Every call for one stream is made on this
 * thread. It never gives up a pipe it owns (a child blocked on a full pipe for good, or killed by
 * SIGPIPE, because its reader gave up, is worse than lost lines): a failing splitter has the rest
 * of its stream read and discarded. Nothing here waits on a disk: the files are written on the log
 * files' thread, and a stream whose file falls far behind is paused ({@link LineSplitter#congested})
 * until it catches up, so its child waits on its full pipe, as it would for a blocking reader.
 */
final class OutputLoop {

    private static final Logger LOG = LoggerFactory.getLogger(OutputLoop.class);
    /** One read per ready pipe per turn: a whole Linux pipe buffer. */
    static final int CHUNK = 64 * 1024;
    private static final int BATCH = 256;
    /** What a closing loop still reads from each pipe before it closes it. */
    private static final int LAST_READS = 16;
    /** How often paused streams are looked at again. */
    private static final int PAUSE_MILLIS = 1;
    /**
     * A pipe a read found full is grown to this, so a bulk writer does not block on it while the
     * loop settles or serves the others. The kernel allows 1 MiB; a quarter of it was as fast.
     */
    static final int GROWN_PIPE = 256 * 1024;
    /**
     * Pipes grown at once, at most. Every pipe's buffer counts against its user's pipe quota
     * ({@code /proc/sys/fs/pipe-user-pages-soft}, 64 MiB), and a user past it gets small pipes for
     * every new pipe, in all of its programs: so 8 MiB at most. A refusal leaves the pipe as it was.
     */
    static final int MAX_GROWN = 32;

    /** One pipe: its descriptor, whom it feeds, and the future its end completes. */
    private static final class Stream {
        final int fd;
        final LineSplitter lines;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** The splitter threw: the rest is read and dropped. Loop thread only. */
        boolean broken;
        /** Its pipe was grown to {@link #GROWN_PIPE}; or the kernel was asked and refused ({@code growAsked}). Loop thread only. */
        boolean grown;
        boolean growAsked;

        Stream(int fd, LineSplitter lines) {
            this.fd = fd;
            this.lines = lines;
        }
    }

    private final Arena arena = Arena.ofShared();
    /** The pipes, each event carrying its stream's number (from 1: 0 is the wake-up). */
    private final Epoll epoll;
    private final Map<Long, Stream> streams = new ConcurrentHashMap<>();
    /** The streams {@link #pause} took out of epoll's interest; loop thread only. */
    private final Map<Long, Stream> paused = new java.util.HashMap<>();
    private final Thread thread;
    private long nextId = 1; // guarded by this
    /** How many streams hold a pipe this loop grew; loop thread only. */
    private int grownPipes;
    private volatile boolean closing;
    private boolean stopped; // guarded by this

    OutputLoop(String threadName) {
        MemorySegment state = Libc.callState(arena);
        try {
            epoll = Epoll.open(state);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        thread = new Thread(null, this::loop, threadName, 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Takes pipe {@code fd} over, to be read until its end into {@code lines}; the future completes
     * after {@link LineSplitter#end}. Null, with {@code fd} still the caller's, when the loop cannot
     * take it (closed, or epoll refused it): the caller reads it some other way.
     */
    CompletableFuture<Void> pump(int fd, LineSplitter lines) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(a);
            int flags = Libc.fcntl(state, fd, Libc.F_GETFL, 0);
            if (flags < 0 || Libc.fcntl(state, fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0) {
                LOG.warn("cannot make pipe {} non-blocking: {}", fd, Libc.describe(Libc.errno(state)));
                return null;
            }
            Stream s = new Stream(fd, lines);
            synchronized (this) { // the lock the loop decides to stop under: no stream joins a loop that is gone
                if (stopped) {
                    return null;
                }
                long id = nextId++;
                streams.put(id, s);
                if (epoll.add(state, fd, id) != 0) {
                    streams.remove(id);
                    LOG.warn("epoll_ctl refused pipe {}: {}", fd, Libc.describe(Libc.errno(state)));
                    return null;
                }
            }
            return s.done;
        }
    }

    /** The buffer size of pipe {@code fd}, or -1 with the errno's reason logged; for the tests. */
    static int pipeSize(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(a);
            int size = Libc.fcntl(state, fd, Libc.F_GETPIPE_SZ, 0);
            if (size < 0) {
                LOG.warn("F_GETPIPE_SZ of {} failed: {}", fd, Libc.describe(Libc.errno(state)));
            }
            return size;
        }
    }

    /** Number of pipes being read, for the tests. */
    int size() {
        return streams.size();
    }

    /**
     * Ends the thread: it reads what each pipe still holds, ends every stream and closes every
     * descriptor it owns. Called when the supervisor closes, after its children are gone.
     */
    void close() {
        closing = true;
        epoll.wake();
    }

    private void loop() {
        MemorySegment state = Libc.callState(arena);
        MemorySegment events = arena.allocate(Libc.EPOLL_EVENT_BYTES * BATCH, 8);
        MemorySegment nbuf = arena.allocate(CHUNK, 8);
        byte[] buf = new byte[CHUNK];
        boolean settle = false;
        try {
            while (!closing) {
                if (settle) {
                    // a turn emptied a bulk writer's pipe: let the pipes fill before waiting again
                    java.util.concurrent.locks.LockSupport.parkNanos(BulkWriters.SETTLE_NANOS);
                }
                int n = epoll.await(state, events, BATCH, paused.isEmpty() ? -1 : PAUSE_MILLIS);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno == Libc.EINTR) {
                        continue;
                    }
                    LOG.error("epoll_wait on the children's pipes failed: {}; their output is no longer read",
                            Libc.describe(errno));
                    return;
                }
                boolean bulk = false;
                boolean more = false; // a read filled the chunk: its pipe may hold more already
                for (int i = 0; i < n; i++) {
                    long id = Epoll.data(events, i);
                    if (id == Epoll.WAKE) {
                        epoll.drainWake(state, nbuf);
                        continue;
                    }
                    Stream s = streams.get(id);
                    if (s == null) {
                        continue;
                    }
                    int r = serve(id, s, state, nbuf, buf);
                    if (r > 0) {
                        bulk |= r >= BulkWriters.BULK_READ;
                        if (r == CHUNK) {
                            more = true;
                            grow(s, state);
                        }
                        if (s.lines.congested()) {
                            pause(id, s, state);
                        }
                    }
                }
                settle = bulk && !more;
                if (!paused.isEmpty()) {
                    resume(state);
                }
            }
        } catch (Throwable t) {
            LOG.error("the output loop failed; its children's output is no longer read", t);
        } finally {
            shutDown(state, nbuf, buf);
        }
    }

    private static final int EMPTY = 0;
    private static final int ENDED = -1;

    /** One read from a ready pipe: the bytes it read, {@link #EMPTY} (none after all), or {@link #ENDED} the stream. */
    private int serve(long id, Stream s, MemorySegment state, MemorySegment nbuf, byte[] buf) {
        long r = Libc.read(state, s.fd, nbuf, CHUNK);
        if (r > 0) {
            if (!s.broken) {
                MemorySegment.copy(nbuf, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) r);
                try {
                    s.lines.read(buf, 0, (int) r);
                } catch (Throwable t) {
                    s.broken = true;
                    LOG.error("output of pipe {} failed; discarding the rest of the stream", s.fd, t);
                }
            }
            return (int) r;
        }
        if (r < 0) {
            int errno = Libc.errno(state);
            if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                return EMPTY; // nothing after all: the next turn
            }
            LOG.warn("reading pipe {} failed: {}; ending its stream", s.fd, Libc.describe(errno));
        }
        end(id, s, state);
        return ENDED;
    }

    /** A pipe that was full when read: grown once, while few are. */
    private void grow(Stream s, MemorySegment state) {
        if (s.growAsked || grownPipes >= MAX_GROWN) {
            return;
        }
        s.growAsked = true; // once: a refusal (the user's quota) would be one more refusal per read
        int size = Libc.fcntl(state, s.fd, Libc.F_GETPIPE_SZ, 0);
        // Pipes start larger where pages are (16 of 64 KiB on some arm64 kernels): never shrunk.
        if (size >= 0 && size < GROWN_PIPE && Libc.fcntl(state, s.fd, Libc.F_SETPIPE_SZ, GROWN_PIPE) >= 0) {
            s.grown = true;
            grownPipes++;
        }
    }

    /**
     * Stops asking epoll about {@code s} (its data waits in the pipe) until its file has caught up.
     * A hang-up is still reported: then it is read on, to its end.
     */
    private void pause(long id, Stream s, MemorySegment state) {
        if (epoll.modify(state, s.fd, id, 0) == 0) {
            paused.put(id, s);
        }
    }

    private void resume(MemorySegment state) {
        for (java.util.Iterator<Map.Entry<Long, Stream>> it = paused.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Stream> e = it.next();
            Stream s = e.getValue();
            if (!s.lines.congested() && epoll.modify(state, s.fd, e.getKey(), Libc.EPOLLIN) == 0) {
                it.remove();
            }
        }
    }

    /** End of stream: out of the set, closed, the splitter ended, the future completed. */
    private void end(long id, Stream s, MemorySegment state) {
        streams.remove(id);
        paused.remove(id);
        if (s.grown) {
            grownPipes--;
            s.grown = false;
        }
        // Out of the set before the close: a spawn forking meanwhile may hold the pipe a moment longer.
        epoll.remove(state, s.fd);
        Libc.close(state, s.fd);
        CompletableFuture<Void> written = null;
        try {
            s.lines.end();
            written = s.lines.written();
        } catch (Throwable t) {
            LOG.error("ending the output of pipe {} failed", s.fd, t);
        } finally {
            if (written == null) {
                s.done.complete(null);
            } else {
                written.whenComplete((x, e) -> s.done.complete(null)); // the lines are in the file
            }
        }
    }

    private void shutDown(MemorySegment state, MemorySegment nbuf, byte[] buf) {
        List<Map.Entry<Long, Stream>> left;
        synchronized (this) {
            stopped = true;
            left = new ArrayList<>(streams.entrySet());
        }
        for (Map.Entry<Long, Stream> e : left) {
            // What a pipe held when the supervisor closed still counts; then it is closed.
            int r = 1;
            for (int i = 0; i < LAST_READS && r > 0; i++) {
                r = serve(e.getKey(), e.getValue(), state, nbuf, buf);
            }
            if (r != ENDED) {
                end(e.getKey(), e.getValue(), state);
            }
        }
        epoll.close(state);
        arena.close();
    }
}
