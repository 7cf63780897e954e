package io.tspm.internal;

import io.tspm.OutputStreamKind;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A child spawned by {@link NativeSpawner}: its pid, the pidfd that names it (signals go through
 * it, so they reach this process and no other that later gets its pid), the pipes' read ends, and
 * the exit that {@link ExitWatcher} reports. Exit values are the JDK's: the code, or 128 + signal.
 *
 * <p>Each pipe has one reader, whoever asks first: the supervisor's {@link OutputLoop} takes the
 * descriptor itself ({@link #takePipe}); {@link #getInputStream} and {@link #getErrorStream} make a
 * blocking stream of it. Once one has it, the other gets an empty stream.
 */
final class NativeProcess extends Process {

    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final long pid;
    /** Our read ends of the stdout and stderr pipes; -1 where there is none, or once taken. Guarded by this. */
    private int stdoutFd;
    private int stderrFd;
    private InputStream stdout; // guarded by this
    private InputStream stderr; // guarded by this
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private final Handle handle = new Handle();
    /** The pidfd, -1 once the exit was reaped and it was closed; guarded by this. */
    private int pidfd;
    private volatile int exitValue = -1;

    NativeProcess(long pid, int pidfd, int stdoutFd, int stderrFd) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdoutFd = stdoutFd;
        this.stderrFd = stderrFd;
    }

    /** Hands over the read end of a pipe, to be closed by the taker; -1 when there is none or it was taken. */
    synchronized int takePipe(OutputStreamKind kind) {
        int fd;
        if (kind == OutputStreamKind.STDOUT) {
            fd = stdoutFd;
            stdoutFd = -1;
        } else {
            fd = stderrFd;
            stderrFd = -1;
        }
        return fd;
    }

    synchronized int pidfd() {
        return pidfd;
    }

    /**
     * On the exit thread, after waitid reaped the child: closes the pidfd under the lock (a signal
     * racing it uses the pidfd before or not at all, never a reused fd number), then completes.
     */
    void exited(int value) {
        synchronized (this) {
            if (pidfd >= 0) {
                try (Arena a = Arena.ofConfined()) {
                    Libc.close(Libc.callState(a), pidfd);
                }
                pidfd = -1;
            }
        }
        exitValue = value;
        exit.complete(this);
    }

    /** Sends {@code sig} through the pidfd; false when the process is already gone. */
    synchronized boolean signal(int sig) {
        if (pidfd < 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            return Libc.pidfdSendSignal(Libc.callState(a), pidfd, sig) == 0;
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream(); // stdin is /dev/null
    }

    /** Returns a pipe {@link #takePipe} took, for {@link #getInputStream} or {@link #getErrorStream} to read. */
    synchronized void giveBack(OutputStreamKind kind, int fd) {
        if (kind == OutputStreamKind.STDOUT) {
            stdoutFd = fd;
        } else {
            stderrFd = fd;
        }
    }

    @Override
    public synchronized InputStream getInputStream() {
        if (stdout == null) {
            stdout = stream(takePipe(OutputStreamKind.STDOUT));
        }
        return stdout;
    }

    @Override
    public synchronized InputStream getErrorStream() {
        if (stderr == null) {
            stderr = stream(takePipe(OutputStreamKind.STDERR));
        }
        return stderr;
    }

    /**
     * The read end of a pipe as a blocking stream: opened again through /proc/self/fd (the JDK makes
     * no FileInputStream of a bare descriptor; the new open is blocking whatever the old one was),
     * after which the descriptor is closed.
     */
    private static InputStream stream(int fd) {
        if (fd < 0) {
            return InputStream.nullInputStream();
        }
        try {
            return new FileInputStream("/proc/self/fd/" + fd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pipe of a child: " + e.getMessage(), e);
        } finally {
            try (Arena a = Arena.ofConfined()) {
                Libc.close(Libc.callState(a), fd);
            }
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return exitValue;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return exitValue;
    }

    @Override
    public void destroy() {
        signal(SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.copy();
    }

    @Override
    public ProcessHandle toHandle() {
        return handle;
    }

    @Override
    public String toString() {
        return "NativeProcess[pid=" + pid + ", exitValue=" + (exit.isDone() ? exitValue : "\"not exited\"") + "]";
    }

    /** What is known of a process that is gone: nothing. */
    private static final ProcessHandle.Info GONE = new ProcessHandle.Info() {
        @Override
        public Optional<String> command() {
            return Optional.empty();
        }

        @Override
        public Optional<String> commandLine() {
            return Optional.empty();
        }

        @Override
        public Optional<String[]> arguments() {
            return Optional.empty();
        }

        @Override
        public Optional<java.time.Instant> startInstant() {
            return Optional.empty();
        }

        @Override
        public Optional<java.time.Duration> totalCpuDuration() {
            return Optional.empty();
        }

        @Override
        public Optional<String> user() {
            return Optional.empty();
        }
    };

    /** A handle whose signals go through the pidfd and whose exit is the one the exit thread saw. */
    private final class Handle implements ProcessHandle {

        private Optional<ProcessHandle> jdk() {
            return isAlive() ? ProcessHandle.of(pid) : Optional.empty();
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public Optional<ProcessHandle> parent() {
            return jdk().flatMap(ProcessHandle::parent);
        }

        @Override
        public Stream<ProcessHandle> children() {
            return jdk().map(ProcessHandle::children).orElse(Stream.empty());
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return jdk().map(ProcessHandle::descendants).orElse(Stream.empty());
        }

        @Override
        public Info info() {
            return jdk().map(ProcessHandle::info).orElse(GONE);
        }

        @Override
        public CompletableFuture<ProcessHandle> onExit() {
            return exit.thenApply(p -> this);
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean destroy() {
            return signal(SIGTERM);
        }

        @Override
        public boolean destroyForcibly() {
            return signal(SIGKILL);
        }

        @Override
        public boolean isAlive() {
            return NativeProcess.this.isAlive();
        }

        @Override
        public int compareTo(ProcessHandle other) {
            return Long.compare(pid, other.pid());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ProcessHandle h && h.pid() == pid;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(pid);
        }

        @Override
        public String toString() {
            return Long.toString(pid);
        }
    }
}
