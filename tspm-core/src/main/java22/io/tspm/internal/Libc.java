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
 * Function and Memory API. Constants are Linux's on x86-64 and arm64 (the same numbers on both,
 * but for the system calls' own); struct sizes are rounded up generously.
 *
 * <p>Few handles, on purpose. Each downcall handle costs the JVM generated code when it is linked,
 * again on its first call, and again once it has been called often enough to be specialised, and
 * all of it on a cold path (a supervisor's first spawns). So every system call goes through one
 * handle for {@code syscall(2)}, with errno captured after it, and the glibc functions share one
 * handle per C signature, called with the function's address.
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
    /** fcntl(2): resize a pipe's buffer (Linux). */
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;
    static final int O_NONBLOCK = 0x800;
    static final int ESRCH = 3;

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

    private static final String ARCH = System.getProperty("os.arch", "");
    /** x86-64, else arm64: the processors whose system call numbers are below (Spawner checks too). */
    private static final boolean X86 = PACKED_EPOLL;
    static {
        if (!ARCH.matches("amd64|x86_64|aarch64")) {
            throw new UnsupportedOperationException("no system call numbers for " + ARCH
                    + " (the native path knows x86-64's and arm64's)");
        }
    }
    // System call numbers: x86-64's own table, and the generic one arm64 uses.
    private static final long SYS_READ = X86 ? 0 : 63;
    private static final long SYS_WRITE = X86 ? 1 : 64;
    private static final long SYS_CLOSE = X86 ? 3 : 57;
    private static final long SYS_WAIT4 = X86 ? 61 : 260;
    private static final long SYS_KILL = X86 ? 62 : 129;
    private static final long SYS_FCNTL = X86 ? 72 : 25;
    private static final long SYS_EPOLL_CTL = X86 ? 233 : 21;
    private static final long SYS_WAITID = X86 ? 247 : 95;
    private static final long SYS_EPOLL_PWAIT = X86 ? 281 : 22;
    private static final long SYS_EVENTFD2 = X86 ? 290 : 19;
    private static final long SYS_EPOLL_CREATE1 = X86 ? 291 : 20;
    private static final long SYS_PIPE2 = X86 ? 293 : 59;
    private static final long SYS_PIDFD_SEND_SIGNAL = 424; // newer calls have one number on both
    private static final long SYS_PIDFD_OPEN = 434;
    /** The kernel's sigset_t, whose size epoll_pwait checks when it is given a mask. */
    private static final long KERNEL_SIGSET_BYTES = 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // Every function called below: looked up (a dlsym each) when this class initialises, which is
    // what decides the launch path (glibc 2.34 or newer has them all).
    private static final MemorySegment POSIX_SPAWN = symbol("posix_spawn");
    private static final MemorySegment FA_INIT = symbol("posix_spawn_file_actions_init");
    private static final MemorySegment FA_DESTROY = symbol("posix_spawn_file_actions_destroy");
    private static final MemorySegment FA_ADDDUP2 = symbol("posix_spawn_file_actions_adddup2");
    private static final MemorySegment FA_ADDOPEN = symbol("posix_spawn_file_actions_addopen");
    private static final MemorySegment FA_ADDCHDIR = symbol("posix_spawn_file_actions_addchdir_np");
    private static final MemorySegment FA_ADDCLOSEFROM = symbol("posix_spawn_file_actions_addclosefrom_np");
    private static final MemorySegment ATTR_INIT = symbol("posix_spawnattr_init");
    private static final MemorySegment ATTR_SETFLAGS = symbol("posix_spawnattr_setflags");
    private static final MemorySegment ATTR_SETSIGMASK = symbol("posix_spawnattr_setsigmask");
    private static final MemorySegment ATTR_SETSIGDEFAULT = symbol("posix_spawnattr_setsigdefault");
    private static final MemorySegment SIGEMPTYSET = symbol("sigemptyset");
    private static final MemorySegment SIGFILLSET = symbol("sigfillset");
    private static final MemorySegment STRERROR = symbol("strerror");
    private static final MemorySegment SYSCALL = symbol("syscall");

    /**
     * The downcall handles, linked when this class first initialises: still about 100 ms of CPU on
     * a cold JVM, so {@link #linkInBackground} does it on a thread of its own while the supervisor
     * is being built, and a spawn that comes first waits for it. The glibc functions' handles
     * take the function's address first.
     */
    private static final class Downcalls {

        /** Nothing: calling it initialises the class, which links every handle. */
        static void link() {
        }

        /** syscall(2) is variadic and reads every argument as a long: passed as longs, never ints. */
        static final MethodHandle SYSCALL6 = LINKER.downcallHandle(SYSCALL,
                FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        // The glibc functions, by C signature; they return an error number rather than set errno.
        static final MethodHandle INT_OF_P = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle INT_OF_PP = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR, ADDR));
        static final MethodHandle INT_OF_PI = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR, INT));
        static final MethodHandle INT_OF_PS = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR,
                ValueLayout.JAVA_SHORT));
        static final MethodHandle INT_OF_PII = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR, INT, INT));
        static final MethodHandle INT_OF_PIPII = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR, INT, ADDR,
                INT, INT));
        static final MethodHandle INT_OF_PPPPPP = LINKER.downcallHandle(FunctionDescriptor.of(INT, ADDR, ADDR, ADDR,
                ADDR, ADDR, ADDR));
        static final MethodHandle P_OF_I = LINKER.downcallHandle(FunctionDescriptor.of(ADDR, INT));
    }

    private Libc() {
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "this C library has no " + name + " (glibc 2.34 or newer has everything the native path needs)"));
    }

    /**
     * Checks that every function is there, which is what decides the launch path: a missing one
     * fails here (UnsupportedOperationException) and the JDK path is taken.
     */
    static void checkFunctions() {
        java.util.Objects.requireNonNull(SYSCALL); // reaching here ran the class initialiser, which looked them up
    }

    private static final java.util.concurrent.atomic.AtomicBoolean LINKING = new java.util.concurrent.atomic.AtomicBoolean();

    /** Links the downcall handles on a daemon thread, once per JVM (see {@link Downcalls}). */
    static void linkInBackground() {
        if (LINKING.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    Downcalls.link();
                    NativeSpawner.rehearse();
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
            MemorySegment s = (MemorySegment) Downcalls.P_OF_I.invokeExact(STRERROR, errno);
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
            return (int) Downcalls.INT_OF_PPPPPP.invokeExact(POSIX_SPAWN, pid, path, actions, attr, argv, envp);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faInit(MemorySegment fa) {
        return intOf(FA_INIT, fa);
    }

    static void faDestroy(MemorySegment fa) {
        intOf(FA_DESTROY, fa); // glibc's frees the actions' memory and cannot fail
    }

    static int faAddDup2(MemorySegment fa, int fd, int newFd) {
        try {
            return (int) Downcalls.INT_OF_PII.invokeExact(FA_ADDDUP2, fa, fd, newFd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faAddOpen(MemorySegment fa, int fd, MemorySegment path, int flags, int mode) {
        try {
            return (int) Downcalls.INT_OF_PIPII.invokeExact(FA_ADDOPEN, fa, fd, path, flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int faAddChdir(MemorySegment fa, MemorySegment path) {
        return intOf(FA_ADDCHDIR, fa, path);
    }

    static int faAddClosefrom(MemorySegment fa, int from) {
        try {
            return (int) Downcalls.INT_OF_PI.invokeExact(FA_ADDCLOSEFROM, fa, from);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int attrInit(MemorySegment attr) {
        return intOf(ATTR_INIT, attr);
    }

    static int attrSetFlags(MemorySegment attr, short flags) {
        try {
            return (int) Downcalls.INT_OF_PS.invokeExact(ATTR_SETFLAGS, attr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int attrSetSigmask(MemorySegment attr, MemorySegment set) {
        return intOf(ATTR_SETSIGMASK, attr, set);
    }

    static int attrSetSigdefault(MemorySegment attr, MemorySegment set) {
        return intOf(ATTR_SETSIGDEFAULT, attr, set);
    }

    static int sigemptyset(MemorySegment set) {
        return intOf(SIGEMPTYSET, set);
    }

    static int sigfillset(MemorySegment set) {
        return intOf(SIGFILLSET, set);
    }

    /** {@code int function(void *)}. */
    private static int intOf(MemorySegment function, MemorySegment p) {
        try {
            return (int) Downcalls.INT_OF_P.invokeExact(function, p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code int function(void *, void *)}. */
    private static int intOf(MemorySegment function, MemorySegment p, MemorySegment q) {
        try {
            return (int) Downcalls.INT_OF_PP.invokeExact(function, p, q);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- system calls: the result, or -1 with errno in state -----------------------------------

    static int pipe2(MemorySegment state, MemorySegment fds, int flags) {
        return (int) syscall(state, SYS_PIPE2, address(fds), flags, 0, 0);
    }

    static int close(MemorySegment state, int fd) {
        return (int) syscall(state, SYS_CLOSE, fd, 0, 0, 0);
    }

    static long read(MemorySegment state, int fd, MemorySegment buf, long n) {
        return syscall(state, SYS_READ, fd, address(buf), n, 0);
    }

    static long write(MemorySegment state, int fd, MemorySegment buf, long n) {
        return syscall(state, SYS_WRITE, fd, address(buf), n, 0);
    }

    static int kill(MemorySegment state, int pid, int sig) {
        return (int) syscall(state, SYS_KILL, pid, sig, 0, 0);
    }

    /** waitpid(2), as glibc makes it: wait4 without the resource usage. */
    static int waitpid(MemorySegment state, int pid, MemorySegment status, int options) {
        return (int) syscall(state, SYS_WAIT4, pid, address(status), options, 0);
    }

    static int waitid(MemorySegment state, int idtype, int id, MemorySegment info, int options) {
        return (int) syscall(state, SYS_WAITID, idtype, id, address(info), options); // no resource usage
    }

    static int epollCreate1(MemorySegment state, int flags) {
        return (int) syscall(state, SYS_EPOLL_CREATE1, flags, 0, 0, 0);
    }

    static int epollCtl(MemorySegment state, int epfd, int op, int fd, MemorySegment event) {
        return (int) syscall(state, SYS_EPOLL_CTL, epfd, op, fd, address(event));
    }

    /** epoll_wait(2), as glibc makes it: epoll_pwait with no signal mask (arm64 has no other). */
    static int epollWait(MemorySegment state, int epfd, MemorySegment events, int max, int timeout) {
        try {
            return (int) (long) Downcalls.SYSCALL6.invokeExact(state, SYS_EPOLL_PWAIT, (long) epfd, address(events),
                    (long) max, (long) timeout, 0L, KERNEL_SIGSET_BYTES);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** eventfd(2), as glibc makes it: eventfd2. */
    static int eventfd(MemorySegment state, int initval, int flags) {
        return (int) syscall(state, SYS_EVENTFD2, initval, flags, 0, 0);
    }

    /** Adds one to an eventfd's counter: wakes the thread that waits on it in epoll. */
    static void wake(int eventFd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(8);
            one.set(LONG, 0, 1L);
            write(callState(a), eventFd, one, 8);
        }
    }

    /** fcntl(2) with an int argument. */
    static int fcntl(MemorySegment state, int fd, int cmd, int arg) {
        return (int) syscall(state, SYS_FCNTL, fd, cmd, arg, 0);
    }

    /** pidfd_open(2): a file descriptor for {@code pid} (close-on-exec). */
    static int pidfdOpen(MemorySegment state, int pid) {
        return (int) syscall(state, SYS_PIDFD_OPEN, pid, 0, 0, 0);
    }

    /** pidfd_send_signal(2), with no siginfo. */
    static int pidfdSendSignal(MemorySegment state, int pidfd, int sig) {
        return (int) syscall(state, SYS_PIDFD_SEND_SIGNAL, pidfd, sig, 0, 0);
    }

    /**
     * Where {@code segment} is, for a system call: the caller keeps its arena open until the call
     * returns (the handle cannot, given a bare address), and it must be native memory, whose
     * address is a pointer (a heap segment's is an offset into its array).
     */
    private static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a system call needs native memory, not " + segment);
        }
        return segment.address();
    }

    /**
     * A system call of up to four arguments (ints passed sign-extended; the kernel ignores the upper
     * half of an int parameter): its result, or -1 with errno in {@code state}.
     */
    private static long syscall(MemorySegment state, long number, long a, long b, long c, long d) {
        try {
            return (long) Downcalls.SYSCALL6.invokeExact(state, number, a, b, c, d, 0L, 0L);
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
