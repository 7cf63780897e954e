package io.tspm.internal;

import io.tspm.OutputStreamKind;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The native launch path (Linux, JDK 22+): one {@code posix_spawn} per child, with
 * {@code POSIX_SPAWN_SETSID} (no {@code setsid} exec), the signal mask emptied and every
 * disposition reset, stdin from {@code /dev/null}, the pipes or files the builder asks for, its
 * environment and working directory, and every other descriptor closed in the child
 * ({@code addclosefrom_np(3)}). The program is looked up on the child's own PATH, as the wrappers'
 * execvp does, and {@code argv[0]} stays as the user wrote it. Each child gets a pidfd at once, which {@link ExitWatcher} waits
 * on and every signal goes through.
 *
 * <p>What still needs an exec: the parent-death signal ({@code prctl} must run in the child between
 * fork and exec, which posix_spawn has no hook for) and the nice value (posix_spawn has no attribute
 * for it, and setting it from the parent after the spawn leaves a window in which the child runs, and
 * may fork, at the old value). {@link LaunchPlan} keeps {@code setpriv} and {@code nice} for those.
 */
final class NativeSpawner implements Spawner {

    private static final int SIGKILL = 9;
    /** Keys whose encoded variable is kept: an environment far larger than any real one. */
    private static final int MAX_ENCODED_VARIABLES = 4096;
    private static final MemorySegment DEV_NULL = Arena.global().allocateFrom("/dev/null");

    private final String supervisor;
    private final Charset charset;
    private ExitWatcher watcher; // started with the first child; guarded by this
    private OutputLoop output; // started with the first pipe; guarded by this
    private boolean closed; // guarded by this
    /** Files found for earlier spawns: the PATH walk costs a stat per entry on every spawn. */
    private final Map<ProgramKey, File> executables = new ConcurrentHashMap<>();
    /** Encoded environment variables by key (see {@link #encodedVariable}); bounded. */
    private final Map<String, EncodedVariable> encodedVariables = new ConcurrentHashMap<>();
    /** What a {@link #rehearse} held before the spawn it left out; only a rehearsal's spawner counts. */
    private int rehearsedDescriptors;
    /** See {@link #attributes}; written once under this. */
    private volatile MemorySegment spawnAttributes;

    private NativeSpawner(String supervisor) {
        this.supervisor = supervisor;
        String jnu = System.getProperty("sun.jnu.encoding");
        this.charset = jnu != null && Charset.isSupported(jnu) ? Charset.forName(jnu) : Charset.defaultCharset();
    }

    /** Called by {@link Spawner#choose}; fails (LinkageError, UnsupportedOperationException) where libc lacks a function. */
    static Spawner create(String supervisor) {
        Libc.checkFunctions(); // a missing function fails here, not at the first spawn
        Libc.linkInBackground(); // the costly part, so that building a supervisor does not wait for it
        return new NativeSpawner(supervisor);
    }

    @Override
    public boolean makesSessions() {
        return true;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean readsOnSharedThread() {
        return true;
    }

    private synchronized ExitWatcher watcher() {
        if (closed) {
            throw new IllegalStateException("the supervisor is closed");
        }
        if (watcher == null) {
            watcher = new ExitWatcher("tspm-" + supervisor + "-exits");
        }
        return watcher;
    }

    private synchronized OutputLoop output() {
        if (closed) {
            return null;
        }
        if (output == null) {
            output = new OutputLoop("tspm-" + supervisor + "-pipes");
        }
        return output;
    }

    /**
     * A native child's pipe goes to the supervisor's one output thread; any other process, a pipe
     * already taken, or one the loop cannot take (closed, epoll full) gets the JDK path's reader.
     */
    @Override
    public CompletableFuture<Void> pump(Process p, OutputStreamKind kind, InstanceOutput.Writer w, int maxLine,
            String threadName) {
        if (p instanceof NativeProcess np) {
            int fd = np.takePipe(kind);
            if (fd >= 0) {
                OutputLoop loop = output();
                CompletableFuture<Void> done = loop == null ? null : loop.pump(fd, new LineSplitter(w, maxLine));
                if (done != null) {
                    return done;
                }
                np.giveBack(kind, fd);
            }
        }
        return Spawner.super.pump(p, kind, w, maxLine, threadName);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
        if (output != null) {
            output.close();
        }
    }

    @Override
    public Process start(ProcessBuilder pb, ChildEnvironment env) throws IOException {
        return spawn(pb, env, watcher());
    }

    /**
     * Goes through a spawn up to posix_spawn, which it leaves out: on a cold JVM the first spawns
     * pay for this path's first use (classes, lambdas, the invokers of the handles it calls: all
     * but posix_spawn's, pidfd_open's and epoll's), tens of milliseconds of a start of many
     * children. Once per JVM, on the thread that links the handles. Returns how many descriptors
     * it held just before the spawn it leaves out (4: two pipes), or -1 where it failed; it leaves
     * none open either way.
     */
    static int rehearse() {
        ProcessBuilder pb = new ProcessBuilder("true").directory(new File("/"))
                .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.PIPE);
        ChildEnvironment env = new ChildEnvironment(new ChildEnvironment.Bases().inherited(java.util.Set.of()));
        env.put("TSPM_REHEARSAL", "1");
        NativeSpawner rehearsal = new NativeSpawner("rehearsal");
        try {
            rehearsal.spawn(pb, env, null);
            return rehearsal.rehearsedDescriptors;
        } catch (IOException | RuntimeException | LinkageError e) {
            // Nothing is lost: the first real spawn links what is left, and reports its own failure.
            org.slf4j.LoggerFactory.getLogger(NativeSpawner.class).debug("rehearsing a spawn failed", e);
            return -1;
        }
    }

    /** A spawn watched by {@code exits}; none is made (null returned) where {@code exits} is null: a {@link #rehearse}. */
    private Process spawn(ProcessBuilder pb, ChildEnvironment env, ExitWatcher exits) throws IOException {
        List<String> command = pb.command();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment fa = arena.allocate(Libc.FILE_ACTIONS_BYTES, 16);
            check(Libc.faInit(fa), "posix_spawn_file_actions_init", command);
            // our ends of the pipes, then the child's: -1 where there is no pipe
            int[] fds = {-1, -1, -1, -1};
            try {
                redirect(arena, fa, 0, pb.redirectInput(), command, null, state);
                redirect(arena, fa, 1, pb.redirectOutput(), command, fds, state);
                if (pb.redirectErrorStream()) {
                    check(Libc.faAddDup2(fa, 1, 2), "posix_spawn_file_actions_adddup2", command);
                } else {
                    redirect(arena, fa, 2, pb.redirectError(), command, fds, state);
                }
                File dir = pb.directory();
                if (dir != null) {
                    check(Libc.faAddChdir(fa, arena.allocateFrom(dir.getPath(), charset)),
                            "posix_spawn_file_actions_addchdir_np", command);
                }
                check(Libc.faAddClosefrom(fa, 3), "posix_spawn_file_actions_addclosefrom_np", command);

                String file = executableCached(command.get(0), env.get("PATH"), dir);
                MemorySegment argv = strings(arena, command);
                MemorySegment envp = environment(arena, env);
                MemorySegment attr = attributes(command);
                MemorySegment pidOut = arena.allocate(Libc.INT);
                if (exits == null) {
                    for (int fd : fds) {
                        rehearsedDescriptors += fd >= 0 ? 1 : 0;
                    }
                    closeChildEnds(fds, state);
                    return null;
                }
                int rc = Libc.posixSpawn(pidOut, arena.allocateFrom(file, charset), fa, attr, argv, envp);
                closeChildEnds(fds, state);
                if (rc != 0) {
                    throw new IOException(cannotRun(command, dir, Libc.describe(rc)));
                }
                int pid = pidOut.get(Libc.INT, 0);
                return adopt(pid, fds, state, command, dir, exits);
            } finally {
                for (int fd : fds) {
                    if (fd >= 0) {
                        Libc.close(state, fd);
                    }
                }
                Libc.faDestroy(fa);
            }
        }
    }

    /**
     * The spawn attributes, the same for every child (a new session, an empty signal mask, every
     * signal at its default): set up once, then only read by posix_spawn, from any thread.
     */
    private MemorySegment attributes(List<String> command) throws IOException {
        MemorySegment attr = spawnAttributes;
        if (attr != null) {
            return attr;
        }
        synchronized (this) {
            if (spawnAttributes == null) {
                // Freed with the spawner (glibc's posix_spawnattr_destroy frees nothing).
                Arena auto = Arena.ofAuto();
                MemorySegment a = auto.allocate(Libc.SPAWNATTR_BYTES, 16);
                MemorySegment sigs = auto.allocate(Libc.SIGSET_BYTES, 16);
                check(Libc.attrInit(a), "posix_spawnattr_init", command);
                check(Libc.sigemptyset(sigs), "sigemptyset", command);
                check(Libc.attrSetSigmask(a, sigs), "posix_spawnattr_setsigmask", command);
                check(Libc.sigfillset(sigs), "sigfillset", command);
                check(Libc.attrSetSigdefault(a, sigs), "posix_spawnattr_setsigdefault", command);
                check(Libc.attrSetFlags(a, (short) (Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGMASK
                        | Libc.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags", command);
                spawnAttributes = a;
            }
            return spawnAttributes;
        }
    }

    /**
     * Takes a pidfd for the child just spawned (it cannot have been reaped: only we wait for it)
     * and hands it to the exit thread; on failure (no descriptor left) kills and reaps it.
     */
    private NativeProcess adopt(int pid, int[] fds, MemorySegment state, List<String> command, File dir,
            ExitWatcher exits) throws IOException {
        int pidfd = Libc.pidfdOpen(state, pid);
        if (pidfd < 0) {
            String why = Libc.describe(Libc.errno(state));
            killAndReap(pid, state);
            throw new IOException(cannotRun(command, dir, "pidfd_open: " + why));
        }
        NativeProcess p = new NativeProcess(pid, pidfd, fds[0], fds[1]);
        if (exits.watch(p, state) != 0) {
            String why = exits.stopped() ? "the supervisor is closed" : "epoll_ctl: " + Libc.describe(Libc.errno(state));
            Libc.close(state, pidfd);
            killAndReap(pid, state);
            throw new IOException(cannotRun(command, dir, why)); // the pipes are closed by the caller
        }
        fds[0] = -1; // the process owns them now
        fds[1] = -1;
        return p;
    }

    private static void killAndReap(int pid, MemorySegment state) {
        Libc.kill(state, pid, SIGKILL);
        while (Libc.waitpid(state, pid, MemorySegment.NULL, 0) < 0 && Libc.errno(state) == Libc.EINTR) {
            // again
        }
    }

    /** Sets up child fd {@code target}; a pipe's ends go into {@code fds} (ours at target-1, the child's at target+1). */
    private void redirect(Arena arena, MemorySegment fa, int target, ProcessBuilder.Redirect r, List<String> command,
            int[] fds, MemorySegment state) throws IOException {
        switch (r.type()) {
            case PIPE -> {
                if (fds == null) {
                    // stdin as a pipe: nothing of ours writes to it; /dev/null reads as the child's end of a closed pipe
                    check(Libc.faAddOpen(fa, target, DEV_NULL, Libc.O_RDONLY, 0),
                            "posix_spawn_file_actions_addopen", command);
                    return;
                }
                MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
                if (Libc.pipe2(state, pair, Libc.O_CLOEXEC) != 0) {
                    throw new IOException(cannotRun(command, null, "pipe2: " + Libc.describe(Libc.errno(state))));
                }
                fds[target - 1] = pair.getAtIndex(ValueLayout.JAVA_INT, 0);
                fds[target + 1] = pair.getAtIndex(ValueLayout.JAVA_INT, 1);
                check(Libc.faAddDup2(fa, fds[target + 1], target), "posix_spawn_file_actions_adddup2", command);
            }
            case INHERIT -> {
                // the child keeps ours
            }
            case READ -> check(Libc.faAddOpen(fa, target, arena.allocateFrom(r.file().getPath(), charset),
                    Libc.O_RDONLY, 0), "posix_spawn_file_actions_addopen", command);
            case WRITE -> check(Libc.faAddOpen(fa, target, arena.allocateFrom(r.file().getPath(), charset),
                    Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC, 0666), "posix_spawn_file_actions_addopen", command);
            case APPEND -> check(Libc.faAddOpen(fa, target, arena.allocateFrom(r.file().getPath(), charset),
                    Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 0666), "posix_spawn_file_actions_addopen", command);
        }
    }

    /**
     * {@link #executable} through the answers of earlier spawns; one still executable is taken
     * again without the walk (as the launch plan's own check caches its answer).
     */
    private String executableCached(String program, String path, File dir) {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        ProgramKey key = new ProgramKey(program, path, dir);
        File hit = executables.get(key);
        if (hit != null && hit.canExecute()) {
            return hit.getPath();
        }
        String found = executable(program, path, dir);
        if (!found.equals(program) && executables.size() < 1000) {
            executables.put(key, new File(found));
        }
        return found;
    }

    /**
     * The file to exec for {@code program}, looked up as execvp would in the child: on the child's
     * PATH (glibc's {@code /bin:/usr/bin} without one), relative entries against its directory.
     * {@code argv[0]} stays as given. A name found nowhere is returned as is, for exec's own error.
     */
    static String executable(String program, String path, File dir) {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        for (String entry : (path != null ? path : "/bin:/usr/bin").split(":", -1)) {
            File d = new File(entry.isEmpty() ? "." : entry);
            if (!d.isAbsolute() && dir != null) {
                d = new File(dir, d.getPath());
            }
            File f = new File(d, program);
            if (f.isFile() && f.canExecute()) {
                return f.getPath();
            }
        }
        return program;
    }

    /** Closes the child's ends once it has them (or once the spawn failed). */
    private static void closeChildEnds(int[] fds, MemorySegment state) {
        for (int i = 2; i < 4; i++) {
            if (fds[i] >= 0) {
                Libc.close(state, fds[i]);
                fds[i] = -1;
            }
        }
    }

    /**
     * A NULL-terminated array of C strings, array and strings in one allocation: an environment of
     * 40 variables would otherwise cost 41 allocations (and as many frees) per spawn.
     */
    private MemorySegment strings(Arena arena, List<String> values) {
        byte[][] encoded = new byte[values.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = values.get(i).getBytes(charset);
        }
        return strings(arena, encoded);
    }

    /**
     * The child's {@code envp}: the shared base's variables, encoded once per base, that this
     * spawn does not override, then this spawn's own. The usual spawn overrides none, and then
     * the base's strings go in as one block: a cold JVM runs the first spawns' copies interpreted.
     */
    private MemorySegment environment(Arena arena, ChildEnvironment env) {
        ChildEnvironment.Base base = env.base();
        ChildEnvironment.Encoded shared = base.encoded;
        if (shared == null) {
            byte[][] variables = new byte[base.keys.length][];
            for (int i = 0; i < variables.length; i++) {
                variables[i] = (base.keys[i] + "=" + base.variables.get(base.keys[i])).getBytes(charset);
            }
            shared = new ChildEnvironment.Encoded(variables);
            base.encoded = shared; // a racing spawn encodes the same bytes
        }
        Map<String, String> own = env.own();
        byte[][] variables = new byte[shared.variables.length + own.size()][];
        int n = 0;
        boolean overrides = false;
        for (Map.Entry<String, String> e : own.entrySet()) {
            overrides |= base.variables.containsKey(e.getKey());
            if (e.getValue() != null) {
                variables[n++] = encodedVariable(e.getKey(), e.getValue());
            }
        }
        if (!overrides) {
            return strings(arena, shared, variables, n);
        }
        n = 0;
        for (int i = 0; i < shared.variables.length; i++) {
            if (!env.overrides(base.keys[i])) {
                variables[n++] = shared.variables[i];
            }
        }
        for (Map.Entry<String, String> e : own.entrySet()) {
            if (e.getValue() != null) {
                variables[n++] = encodedVariable(e.getKey(), e.getValue());
            }
        }
        return strings(arena, variables, n);
    }

    private static MemorySegment strings(Arena arena, byte[][] encoded) {
        return strings(arena, encoded, encoded.length);
    }

    /** {@link #strings(Arena, List)} of the first {@code n} of {@code encoded}. */
    private static MemorySegment strings(Arena arena, byte[][] encoded, int n) {
        return strings(arena, null, encoded, n);
    }

    /**
     * The strings of {@code block} (null for none), then the first {@code n} of {@code encoded}, as
     * a NULL-terminated array of C strings in one allocation. The pointers are written as numbers,
     * all in one copy, with no segment object per string as a slice would need: they are 8 bytes
     * wide on both processors the native path runs on (x86-64 and arm64, see {@link Libc}).
     */
    private static MemorySegment strings(Arena arena, ChildEnvironment.Encoded block, byte[][] encoded, int n) {
        int first = block == null ? 0 : block.starts.length;
        long bytes = block == null ? 0 : block.block.length;
        for (int i = 0; i < n; i++) {
            bytes += encoded[i].length + 1L;
        }
        long pointers = Long.BYTES * (first + n + 1L);
        MemorySegment out = arena.allocate(pointers + bytes, Long.BYTES);
        // the allocation is zeroed: the byte after each string is its terminator, the last pointer NULL
        long at = pointers;
        long[] addresses = new long[first + n];
        long strings = out.address() + pointers;
        if (block != null) {
            MemorySegment.copy(block.block, 0, out, ValueLayout.JAVA_BYTE, at, block.block.length);
            for (int i = 0; i < first; i++) {
                addresses[i] = strings + block.starts[i];
            }
            at += block.block.length;
        }
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(encoded[i], 0, out, ValueLayout.JAVA_BYTE, at, encoded[i].length);
            addresses[first + i] = out.address() + at;
            at += encoded[i].length + 1L;
        }
        MemorySegment.copy(addresses, 0, out, ValueLayout.JAVA_LONG, 0, addresses.length);
        return out;
    }

    /**
     * {@code key=value} as the child gets it. The variables an instance inherits are the same
     * strings on every spawn, and joining and encoding them each time made 4 of a spawn's 33 KB of
     * garbage: the bytes are kept per key, for as long as the value stays the same.
     */
    private byte[] encodedVariable(String key, String value) {
        EncodedVariable known = encodedVariables.get(key);
        if (known != null && known.value.equals(value)) {
            return known.bytes;
        }
        byte[] bytes = (key + "=" + value).getBytes(charset);
        if (known != null || encodedVariables.size() < MAX_ENCODED_VARIABLES) {
            encodedVariables.put(key, new EncodedVariable(value, bytes));
        }
        return bytes;
    }

    private record EncodedVariable(String value, byte[] bytes) {
    }

    private static void check(int rc, String what, List<String> command) throws IOException {
        if (rc != 0) {
            throw new IOException(cannotRun(command, null, what + ": " + Libc.describe(rc)));
        }
    }

    /** The JDK's wording: {@code Cannot run program "x" (in directory "d"): error=2, No such file or directory}. */
    private static String cannotRun(List<String> command, File dir, String why) {
        return "Cannot run program \"" + command.get(0) + "\"" + (dir != null ? " (in directory \"" + dir + "\")" : "")
                + ": " + why;
    }

    @Override
    public boolean signal(int signo, List<ProcessTree.Member> members) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            for (ProcessTree.Member m : members) {
                // Take the pidfd first, then check the start time: if it matches, the pidfd names
                // the member itself, and the signal can reach no other process.
                int fd = Libc.pidfdOpen(state, (int) m.pid());
                if (fd < 0) {
                    continue; // gone
                }
                try {
                    if (m.alive()) {
                        Libc.pidfdSendSignal(state, fd, signo);
                    }
                } finally {
                    Libc.close(state, fd);
                }
            }
        }
        return true;
    }
}
