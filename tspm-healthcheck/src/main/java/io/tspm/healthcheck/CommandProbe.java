package io.tspm.healthcheck;

import io.tspm.Human;
import io.tspm.spi.ProbeContext;
import io.tspm.spi.ProbeResult;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with the process's environment (so {@code $PORT} works); passes when it exits 0
 * within the timeout. A command still running at the timeout is killed with its descendants.
 * Immutable; two probes of the same command are equal.
 */
public final class CommandProbe implements BuiltInProbe {

    private final List<String> argv;

    CommandProbe(List<String> argv) {
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("command must name a program, but was " + argv);
        }
        this.argv = List.copyOf(argv);
    }

    /** The program and its arguments, run as given (no shell). */
    public List<String> command() {
        return argv;
    }

    /** {@code command}. */
    @Override
    public String type() {
        return "command";
    }

    @Override
    public CompletableFuture<ProbeResult> check(ProbeContext context) {
        return CompletableFuture.supplyAsync(() -> start(context), context.blockingExecutor())
                .thenCompose(p -> p == null
                        ? CompletableFuture.completedFuture(ProbeResult.failure("cannot run " + argv))
                        : p.onExit().thenApply(done -> done.exitValue() == 0
                                ? ProbeResult.success(describe() + " exited 0")
                                : ProbeResult.failure(describe() + " exited " + done.exitValue()))
                        .completeOnTimeout(null, context.timeout().toNanos(), TimeUnit.NANOSECONDS)
                        .thenApply(r -> {
                            if (r != null) {
                                return r;
                            }
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                            return ProbeResult.failure(describe() + " did not finish within "
                                    + Human.duration(context.timeout()));
                        }));
    }

    private Process start(ProbeContext context) {
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        if (!context.environment().isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(context.environment());
        }
        try {
            return pb.start();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return "command " + argv;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandProbe && argv.equals(((CommandProbe) o).argv);
    }

    @Override
    public int hashCode() {
        return argv.hashCode();
    }

    /** As {@link #describe()}: the command is all there is. */
    @Override
    public String toString() {
        return describe();
    }
}
