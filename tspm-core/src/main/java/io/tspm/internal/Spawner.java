package io.tspm.internal;

import io.tspm.OutputStreamKind;
import io.tspm.Signal;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * The launch seam: how a supervisor turns the {@link ProcessBuilder} and environment that
 * {@link LaunchPlan} made into a running child, and how it signals the members of a child's tree. Two implementations: the
 * JDK's ({@link JdkSpawner}, everywhere) and a native one on Linux with JDK 22+ (posix_spawn and
 * pidfds, in the jar's {@code META-INF/versions/22}), chosen once per supervisor by {@link #choose}.
 */
interface Spawner extends AutoCloseable {

    /** The system property that forces the JDK path: {@code -Dtspm.launch=jdk}. */
    String PROPERTY = "tspm.launch";

    /** Starts {@code pb} (its command, directory and redirects) with the environment {@code env}. */
    Process start(ProcessBuilder pb, ChildEnvironment env) throws IOException;

    /** Starts {@code pb} with its own environment. */
    default Process start(ProcessBuilder pb) throws IOException {
        return start(pb, ChildEnvironment.of(pb.environment()));
    }

    /**
     * Reads one output stream of {@code p} to its end into {@code w}, line by line ({@link LineSplitter}),
     * every call on one thread; the future completes after the splitter's end. Here: a thread of its
     * own ({@link OutputPump}, named {@code threadName}); the native path reads all pipes on one.
     */
    default CompletableFuture<Void> pump(Process p, OutputStreamKind kind, InstanceOutput.Writer w, int maxLine,
            String threadName) {
        return OutputPump.start(threadName, kind == OutputStreamKind.STDOUT ? p.getInputStream() : p.getErrorStream(),
                w, maxLine);
    }

    /** Whether {@link #pump} reads many streams on one thread, so their file writes must leave it. */
    default boolean readsOnSharedThread() {
        return false;
    }

    /** Whether {@link #start} puts the child in a session of its own, so no {@code setsid} exec is needed. */
    boolean makesSessions();

    /** The signals a child starts with ignored, whatever it asks: none where the spawn resets them all. */
    default Set<Signal> ignoredInChildren() {
        return Set.of();
    }

    /** "native" or "jdk", for the log line and the tests. */
    String name();

    /**
     * Sends signal number {@code signo} to each member that is still who it was, or returns false
     * when this spawner has no way of its own (the caller signals them as the JDK path does).
     */
    default boolean signal(int signo, List<ProcessTree.Member> members) {
        return false;
    }

    @Override
    default void close() {
    }

    /**
     * The native spawner where this JVM allows it (Linux on x86-64 or arm64, JDK 22+, native access enabled), else
     * the JDK's; logs once which, and why.
     *
     * @param nativeWanted false when the builder forced the JDK path
     */
    static Spawner choose(boolean nativeWanted, String supervisor, Logger log) {
        String why = nativeWanted ? nativeUnavailable() : "the builder asked for it (nativeLaunch(false))";
        if (why == null) {
            try {
                Spawner s = (Spawner) Class.forName("io.tspm.internal.NativeSpawner")
                        .getDeclaredMethod("create", String.class).invoke(null, supervisor);
                log.info("supervisor '{}' launches children natively (posix_spawn, one pidfd exit thread)", supervisor);
                return s;
            } catch (ReflectiveOperationException | LinkageError e) {
                why = "the native launcher could not start (" + rootReason(e) + ")";
            }
        }
        log.info("supervisor '{}' launches children through the JDK (ProcessBuilder): {}", supervisor, why);
        return new JdkSpawner();
    }

    /**
     * What made the native classes fail, through the wrappers reflection and class initialisation
     * put around it ("this C library has no posix_spawn_file_actions_addclosefrom_np ...").
     */
    private static String rootReason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof ExceptionInInitializerError || t instanceof NoClassDefFoundError)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Why this JVM cannot take the native path, or null when it can. */
    private static String nativeUnavailable() {
        String forced = System.getProperty(PROPERTY, "");
        if (forced.equalsIgnoreCase("jdk")) {
            return "-D" + PROPERTY + "=jdk asked for it";
        }
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return "the native path is for Linux only";
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.matches("amd64|x86_64|aarch64")) { // the processors whose system call numbers it knows
            return "the native path is for x86-64 and arm64 only (this is " + arch + ")";
        }
        if (Runtime.version().feature() < 22) {
            return "the native path needs JDK 22 or newer (this is " + Runtime.version().feature() + ")";
        }
        try {
            Class.forName("io.tspm.internal.NativeSpawner");
        } catch (ClassNotFoundException e) {
            return "this tspm-core jar was built without the native classes (built on a JDK older than 22)";
        }
        try {
            Module m = Spawner.class.getModule();
            boolean enabled = (Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(m);
            if (!enabled) {
                return "native access is not enabled (run java with --enable-native-access="
                        + (m.isNamed() ? m.getName() : "ALL-UNNAMED") + ")";
            }
        } catch (ReflectiveOperationException e) {
            return "cannot tell whether native access is enabled (" + e + ")";
        }
        return null;
    }
}
