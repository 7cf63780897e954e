package io.tspm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (autodetection): after a class, no process started by this JVM
 * may be left. Leftovers are killed and fail the class that left them.
 */
public final class NoLeakedProcessesExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ProcessHandle> left = descendants();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = descendants();
        }
        String described = left.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.joining("; "));
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("processes left behind by %s: %s", context.getDisplayName(), described).isEmpty();
    }

    private static List<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }
}
