package io.tspm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (autodetection): after a class, no process started by this JVM
 * may be left, neither a descendant nor an orphan that was reparented away. Orphans are found by
 * the {@code TSPM_TEST_MARK} variable the build gives the test JVM and every child inherits.
 * Leftovers are killed and fail the class that left them.
 */
public final class NoLeakedProcessesExtension implements AfterAllCallback {

    private static final String MARK = "TSPM_TEST_MARK";

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            Await.within(Duration.ofSeconds(10)).until(() -> leftovers().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
            // reported below
        }
        Set<ProcessHandle> left = leftovers();
        String described = left.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("processes left behind by %s: %s", context.getDisplayName(), described).isEmpty();
    }

    private static Set<ProcessHandle> leftovers() {
        Set<ProcessHandle> out = new LinkedHashSet<>();
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(out::add);
        String mark = System.getenv(MARK);
        if (mark != null && Files.isDirectory(Path.of("/proc"))) {
            byte[] needle = (MARK + "=" + mark + "\0").getBytes(StandardCharsets.UTF_8);
            Set<Long> selfAndAncestors = new java.util.HashSet<>();
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
        return out;
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
