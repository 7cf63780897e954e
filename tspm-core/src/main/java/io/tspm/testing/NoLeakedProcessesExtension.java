package io.tspm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a process behind: after the class, every process this JVM
 * started (its descendants) must have ended within a grace time (10 s, or the configuration
 * parameter {@value #GRACE_PARAMETER}, such as {@code 2s} or {@code 500ms}), and so must every process
 * carrying the {@value #MARK_VARIABLE} environment variable of this JVM, which finds orphans that
 * were reparented away from the JVM (give the test JVM the variable with a value of the build's,
 * and every child inherits it). Leftovers are killed, so the next class starts clean, and named
 * in the failure with their pid and command line.
 *
 * <p>Processes of helpers that {@code io.tspm.junit} shares across the whole run are not counted:
 * they are meant to outlive the class, and stop when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(NoLeakedProcessesExtension.class)
 * class MyIntegrationTest { ... }
 * }</pre>
 *
 * Or for every class: list it in {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and set {@code junit.jupiter.extensions.autodetection.enabled=true}.
 */
public final class NoLeakedProcessesExtension implements AfterAllCallback {

    /** The environment variable that marks every process of one test run, orphans included. */
    public static final String MARK_VARIABLE = "TSPM_TEST_MARK";

    /**
     * The root-store namespace and key under which {@code io.tspm.junit} keeps a
     * {@code Supplier<Set<Long>>} of the pids its run-wide helpers hold; those pids and their
     * descendants are spared.
     */
    public static final String SPARED_NAMESPACE = "io.tspm.junit";
    /** The key of the spared pids in {@link #SPARED_NAMESPACE}. */
    public static final String SPARED_KEY = "shared-helper-pids";

    /** The configuration parameter that sets the grace time ({@code 10s} by default). */
    public static final String GRACE_PARAMETER = "tspm.testing.leakGrace";

    private static final Duration GRACE = Duration.ofSeconds(10);
    /** How long a killed leftover is waited for (SIGKILL ends it, but its reaping takes a moment). */
    private static final Duration KILLED_WITHIN = Duration.ofSeconds(5);

    /** Registered through {@code @ExtendWith} or service loading. */
    public NoLeakedProcessesExtension() {
    }

    /** Waits for the class's processes to end, kills what is left and fails the class naming them. */
    @Override
    public void afterAll(ExtensionContext context) {
        Set<Long> spared = spared(context);
        Duration grace = context.getConfigurationParameter(GRACE_PARAMETER).map(v -> parse(GRACE_PARAMETER, v))
                .orElse(GRACE);
        Set<ProcessHandle> first = leftovers(spared);
        awaitExit(first, grace);
        // Only what was there when the class ended: a shared helper's probe started since is no leak of it.
        Set<ProcessHandle> left = new LinkedHashSet<>();
        first.stream().filter(ProcessHandle::isAlive).forEach(left::add);
        if (left.isEmpty()) {
            return;
        }
        String described = left.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
        left.forEach(ProcessHandle::destroyForcibly);
        awaitExit(left, KILLED_WITHIN); // gone, not only signalled, before the next class starts
        throw new AssertionError(left.size() + (left.size() == 1 ? " process" : " processes")
                + " left behind by " + context.getDisplayName() + " " + grace.toMillis()
                + " ms after it ended (now killed): " + described);
    }

    /** {@code 10s}, {@code 500ms}, {@code 0}: a whole number of seconds or milliseconds. */
    static Duration parse(String name, String value) {
        String v = value.trim();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.equals("0")) {
                return Duration.ZERO;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " must be a whole number of seconds or milliseconds such as 10s or "
                + "500ms, but was '" + value + "'");
    }

    private static Set<Long> spared(ExtensionContext context) {
        Object registry = context.getRoot().getStore(ExtensionContext.Namespace.create(SPARED_NAMESPACE)).get(SPARED_KEY);
        Set<Long> pids = new HashSet<>();
        if (registry instanceof Supplier) {
            Object value = ((Supplier<?>) registry).get();
            if (value instanceof Collection) {
                for (Object o : (Collection<?>) value) {
                    if (o instanceof Long) {
                        pids.add((Long) o);
                    }
                }
            }
        }
        return pids;
    }

    /** Waits until each of {@code handles} has exited, up to {@code grace} for all together. */
    private static void awaitExit(Set<ProcessHandle> handles, Duration grace) {
        CompletableFuture<?> all = CompletableFuture.allOf(
                handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new));
        try {
            all.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException stillThere) {
            // named by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Set<ProcessHandle> leftovers(Set<Long> spared) {
        Set<ProcessHandle> out = new LinkedHashSet<>();
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(out::add);
        String mark = System.getenv(MARK_VARIABLE);
        if (mark != null && Files.isDirectory(Path.of("/proc"))) {
            byte[] needle = (MARK_VARIABLE + "=" + mark + "\0").getBytes(StandardCharsets.UTF_8);
            Set<Long> selfAndAncestors = new HashSet<>();
            for (Optional<ProcessHandle> h = Optional.of(ProcessHandle.current()); h.isPresent(); h = h.get().parent()) {
                selfAndAncestors.add(h.get().pid());
            }
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : dir) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (!selfAndAncestors.contains(pid) && contains(p.resolve("environ"), needle)) {
                        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(out::add);
                    }
                }
            } catch (IOException e) {
                // /proc unreadable: the descendant check above still ran.
            }
        }
        out.removeIf(h -> isOrDescendsFrom(h, spared));
        return out;
    }

    private static boolean isOrDescendsFrom(ProcessHandle h, Set<Long> spared) {
        for (Optional<ProcessHandle> p = Optional.of(h); p.isPresent(); p = p.get().parent()) {
            if (spared.contains(p.get().pid())) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Path environ, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int k = 0; k < needle.length; k++) {
                if (env[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
