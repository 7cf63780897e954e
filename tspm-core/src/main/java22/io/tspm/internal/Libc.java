package io.tspm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The glibc functions and Linux system calls the native launch path calls, through the Foreign
 * Function and Memory API, each with errno captured right after the call. Constants are Linux's
 * on x86-64 and arm64 (the same numbers on both); struct sizes are rounded up generously.
 */
final class Libc {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout ADDR = ValueLayout.ADDRESS;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_TRUNC = 0x200;
    static final int O_APPEND = 0x400;
    static final int O_CLOEXEC = 0x80000;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    static final int P_PIDFD = 3;
    static final int WEXITED = 4;
    static final int WNOHANG = 1;
    static final int CLD_EXITED = 1;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 0x800;
    static final int ESRCH = 3;
    static final long SYS_PIDFD_SEND_SIGNAL = 424;
    static final long SYS_PIDFD_OPEN = 434;

    /** posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128 and siginfo_t 128 on glibc. */
    static final long FILE_ACTIONS_BYTES = 256;
    static final long SPAWNATTR_BYTES = 512;
    static final long SIGSET_BYTES = 128;
    static final long SIGINFO_BYTES = 128;
    static final long SIGINFO_CODE = 8;
    static final long SIGINFO_PID = 16;
    static final long SIGINFO_STATUS = 24;
    /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    static final boolean PACKED_EPOLL = System.getProperty("os.arch", "").matches("amd64|x86_64");
    static final long EPOLL_EVENT_BYTES = PACKED_EPOLL ? 12 : 16;
    static final long EPOLL_DATA = PACKED_EPOLL ? 4 : 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Every function the handles below call: looked up (a dlsym each) when this class initialises. */
    private static final String[] FUNCTIONS = {
        "posix_spawn",
        "posix_spawn_file_actions_init",
        "posix_spawn_file_actions_destroy",
        "posix_spawn_file_actions_adddup2",
        "posix_spawn_file_actions_addopen",
        "posix_spawn_file_actions_addchdir_np",
        "posix_spawn_file_actions_addclosefrom_np",
        "posix_spawnattr_init",
        "posix_spawnattr_setflags",
        "posix_spawnattr_setsigmask",
        "posix_spawnattr_setsigdefault",
        "sigemptyset",
        "sigfillset",
        "strerror",
        "pipe2",
        "close",
        "read",
        "write",
        "kill",
        "waitpid",
        "waitid",
        "epoll_create1",
        "epoll_ctl",
        "epoll_wait",
        "eventfd",
        "fcntl",
        "syscall"};
    private static final java.util.Map<String, MemorySegment> SYMBOLS = symbols();

    /**
     * The downcall handles, linked when this class first initialises: about 250 ms of CPU on a cold
     * JVM (each distinct shape spins its own code), so {@link #linkInBackground} does it on a thread
     * of its own while the supervisor is being built, and a spawn that comes first waits for it.
     */
    private static final class Downcalls {

        /** Nothing: calling it initialises the class, which links every handle. */
        static void link() {
        }

        static final MethodHandle POSIX_SPAWN = errnoless("posix_spawn",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR));
        static final MethodHandle FA_INIT = errnoless("posix_spawn_file_actions_init", FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle FA_DESTROY = errnoless("posix_spawn_file_actions_destroy",
                FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle FA_ADDDUP2 = errnoless("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(INT, ADDR, INT, INT));
        static final MethodHandle FA_ADDOPEN = errnoless("posix_spawn_file_actions_addopen",
                FunctionDescriptor.of(INT, ADDR, INT, ADDR, INT, INT));
        static final MethodHandle FA_ADDCHDIR = errnoless("posix_spawn_file_actions_addchdir_np",
                FunctionDescriptor.of(INT, ADDR, ADDR));
        static final MethodHandle FA_ADDCLOSEFROM = errnoless("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(INT, ADDR, INT));
        static final MethodHandle ATTR_INIT = errnoless("posix_spawnattr_init", FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle ATTR_SETFLAGS = errnoless("posix_spawnattr_setflags",
                FunctionDescriptor.of(INT, ADDR, ValueLayout.JAVA_SHORT));
        static final MethodHandle ATTR_SETSIGMASK = errnoless("posix_spawnattr_setsigmask",
                FunctionDescriptor.of(INT, ADDR, ADDR));
        static final MethodHandle ATTR_SETSIGDEFAULT = errnoless("posix_spawnattr_setsigdefault",
                FunctionDescriptor.of(INT, ADDR, ADDR));
        static final MethodHandle SIGEMPTYSET = errnoless("sigemptyset", FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle SIGFILLSET = errnoless("sigfillset", FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle STRERROR = errnoless("strerror", FunctionDescriptor.of(ADDR, INT));

        static final MethodHandle PIPE2 = withErrno("pipe2", FunctionDescriptor.of(INT, ADDR, INT));
        static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(INT, INT));
        static final MethodHandle READ = withErrno("read", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
        static final MethodHandle WRITE = withErrno("write", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
        static final MethodHandle KILL = withErrno("kill", FunctionDescriptor.of(INT, INT, INT));
        static final MethodHandle WAITPID = withErrno("waitpid", FunctionDescriptor.of(INT, INT, ADDR, INT));
        static final MethodHandle WAITID = withErrno("waitid", FunctionDescriptor.of(INT, INT, INT, ADDR, INT));
        static final MethodHandle EPOLL_CREATE1 = withErrno("epoll_create1", FunctionDescriptor.of(INT, INT));
        static final MethodHandle EPOLL_CTL = withErrno("epoll_ctl", FunctionDescriptor.of(INT, INT, INT, INT, ADDR));
        static final MethodHandle EPOLL_WAIT = withErrno("epoll_wait",
                FunctionDescriptor.of(INT, INT, ADDR, INT, INT));
        static final MethodHandle EVENTFD = withErrno("eventfd", FunctionDescriptor.of(INT, INT, INT));
        /** fcntl(2) is variadic: the third argument, an int here, is the first variadic one. */
        static final MethodHandle FCNTL = LINKER.downcallHandle(symbol("fcntl"),
                FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.firstVariadicArg(2),
                Linker.Option.captureCallState("errno"));
        /** syscall(2) is variadic and reads every argument as a long: passed as longs, never ints. */
        static final MethodHandle SYSCALL2 = LINKER.downcallHandle(symbol("syscall"),
                FunctionDescriptor.of(LONG, LONG, LONG, LONG), Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
        static final MethodHandle SYSCALL4 = LINKER.downcallHandle(symbol("syscall"),
                FunctionDescriptor.of(LONG, LONG, LONG, LONG, ADDR, LONG), Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }

    private Libc() {
    }

    private static java.util.Map<String, MemorySegment> symbols() {
        java.util.Map<String, MemorySegment> found = new java.util.HashMap<>();
        for (String name : FUNCTIONS) {
            found.put(name, LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException(
                    "this C library has no " + name + " (glibc 2.34 or newer has everything the native path needs)")));
        }
        return found;
    }

    /** A function looked up when the class initialised; one missing from {@link #FUNCTIONS} is a bug here. */
    private static MemorySegment symbol(String name) {
        MemorySegment s = SYMBOLS.get(name);
        if (s == null) {
            throw new IllegalStateException(name + " is linked but not in Libc.FUNCTIONS, so its absence is not checked");
        }
        return s;
    }

    private static MethodHandle errnoless(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static MethodHandle withErrno(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
    }

    /**
     * Checks that every function is there, which is what decides the launch path: a missing one
     * fails here (UnsupportedOperationException) and the JDK path is taken.
     */
    static void checkFunctions() {
        java.util.Objects.requireNonNull(SYMBOLS); // reaching here ran the class initialiser, which looked them up
    }

    private static final java.util.concurrent.atomic.AtomicBoolean LINKING = new java.util.concurrent.atomic.AtomicBoolean();

    /** Links the downcall handles on a daemon thread, once per JVM (see {@link Downcalls}). */
    static void linkInBackground() {
        if (LINKING.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    Downcalls.link();
                } catch (RuntimeException | LinkageError e) {
                    // Every function was found, so this is the JDK's linker failing: every spawn
                    // fails with it now, and the log says why; -Dtspm.launch=jdk is the way out.
                    org.slf4j.LoggerFactory.getLogger(Libc.class).error("the native launch path could not link its C"
                            + " functions; every spawn will fail (-Dtspm.launch=jdk takes the JDK path)", e);
                }
            }, "tspm-native-link");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The errno a call left in {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Downcalls.STRERROR.invokeExact(errno);
            return s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** "error=2, No such file or directory", as the JDK words a failed spawn. */
    static String describe(int errno) {
        return "error=" + errno + ", " + strerror(errno);
    }

    static int posixSpawn(MemorySegment pid, MemorySegment path, MemorySegment actions, MemorySegment attr,
            MemorySegment argv, MemorySegment envp) {
        try {
            return (int) Downcalls.POSIX_SPAWN.invokeExact(pid, path, actions, attr, argv, envp);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faInit(MemorySegment fa) {
        try {
            return (int) Downcalls.FA_INIT.invokeExact(fa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void faDestroy(MemorySegment fa) {
        try {
            int ignored = (int) Downcalls.FA_DESTROY.invokeExact(fa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faAddDup2(MemorySegment fa, int fd, int newFd) {
        try {
            return (int) Downcalls.FA_ADDDUP2.invokeExact(fa, fd, newFd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faAddOpen(MemorySegment fa, int fd, MemorySegment path, int flags, int mode) {
        try {
            return (int) Downcalls.FA_ADDOPEN.invokeExact(fa, fd, path, flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faAddChdir(MemorySegment fa, MemorySegment path) {
        try {
            return (int) Downcalls.FA_ADDCHDIR.invokeExact(fa, path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faAddClosefrom(MemorySegment fa, int from) {
        try {
            return (int) Downcalls.FA_ADDCLOSEFROM.invokeExact(fa, from);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int attrInit(MemorySegment attr) {
        try {
            return (int) Downcalls.ATTR_INIT.invokeExact(attr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int attrSetFlags(MemorySegment attr, short flags) {
        try {
            return (int) Downcalls.ATTR_SETFLAGS.invokeExact(attr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int attrSetSigmask(MemorySegment attr, MemorySegment set) {
        try {
            return (int) Downcalls.ATTR_SETSIGMASK.invokeExact(attr, set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int attrSetSigdefault(MemorySegment attr, MemorySegment set) {
        try {
            return (int) Downcalls.ATTR_SETSIGDEFAULT.invokeExact(attr, set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sigemptyset(MemorySegment set) {
        try {
            return (int) Downcalls.SIGEMPTYSET.invokeExact(set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sigfillset(MemorySegment set) {
        try {
            return (int) Downcalls.SIGFILLSET.invokeExact(set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int pipe2(MemorySegment state, MemorySegment fds, int flags) {
        try {
            return (int) Downcalls.PIPE2.invokeExact(state, fds, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(MemorySegment state, int fd) {
        try {
            return (int) Downcalls.CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long read(MemorySegment state, int fd, MemorySegment buf, long n) {
        try {
            return (long) Downcalls.READ.invokeExact(state, fd, buf, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long write(MemorySegment state, int fd, MemorySegment buf, long n) {
        try {
            return (long) Downcalls.WRITE.invokeExact(state, fd, buf, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int kill(MemorySegment state, int pid, int sig) {
        try {
            return (int) Downcalls.KILL.invokeExact(state, pid, sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int waitpid(MemorySegment state, int pid, MemorySegment status, int options) {
        try {
            return (int) Downcalls.WAITPID.invokeExact(state, pid, status, options);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int waitid(MemorySegment state, int idtype, int id, MemorySegment info, int options) {
        try {
            return (int) Downcalls.WAITID.invokeExact(state, idtype, id, info, options);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCreate1(MemorySegment state, int flags) {
        try {
            return (int) Downcalls.EPOLL_CREATE1.invokeExact(state, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCtl(MemorySegment state, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) Downcalls.EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollWait(MemorySegment state, int epfd, MemorySegment events, int max, int timeout) {
        try {
            return (int) Downcalls.EPOLL_WAIT.invokeExact(state, epfd, events, max, timeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int eventfd(MemorySegment state, int initval, int flags) {
        try {
            return (int) Downcalls.EVENTFD.invokeExact(state, initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Adds one to an eventfd's counter: wakes the thread that waits on it in epoll. */
    static void wake(int eventFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(8);
            one.set(LONG, 0, 1L);
            write(callState(a), eventFd, one, 8);
        }
    }

    /** fcntl(2) with an int argument: the result, or -1 with errno in {@code state}. */
    static int fcntl(MemorySegment state, int fd, int cmd, int arg) {
        try {
            return (int) Downcalls.FCNTL.invokeExact(state, fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pidfd_open(2): a file descriptor for {@code pid} (close-on-exec), or -1 with errno in {@code state}. */
    static int pidfdOpen(MemorySegment state, int pid) {
        try {
            return (int) (long) Downcalls.SYSCALL2.invokeExact(state, SYS_PIDFD_OPEN, (long) pid, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pidfd_send_signal(2): 0, or -1 with errno in {@code state}. */
    static int pidfdSendSignal(MemorySegment state, int pidfd, int sig) {
        try {
            return (int) (long) Downcalls.SYSCALL4.invokeExact(state, SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) sig, MemorySegment.NULL, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
