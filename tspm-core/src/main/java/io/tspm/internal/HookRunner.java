package io.tspm.internal;

import io.tspm.ExitStatus;
import io.tspm.Hook;
import io.tspm.HookContext;
import io.tspm.HookPhase;
import io.tspm.Human;
import io.tspm.OutputStreamKind;
import io.tspm.ProcessSpec;
import io.tspm.Program;
import io.tspm.Signal;
import io.tspm.event.HookFailed;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one lifecycle hook of an instance, cut off at its timeout on the supervisor's scheduler.
 * A command or shell hook is spawned as the instance would be (its working directory,
 * environment, user and nice; a session of its own, so a timeout kills all it started), and its
 * output goes into the instance's output behind {@code [preStart]}. A Java hook runs on the
 * supervisor's blocking pool and is interrupted at its timeout. The future fails with a
 * {@link HookFailure} when the hook exits non-zero, throws, or runs past its timeout.
 */
final class HookRunner {

    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    /** Lines of a hook's output its failure carries. */
    private static final int FAILURE_LINES = 20;
    /** How long a hook's output may still arrive after it exited (a grandchild may hold the pipe). */
    private static final Duration OUTPUT_DRAIN = Duration.ofMillis(500);

    private final Engine engine;
    private final ProcessSpec spec;
    private final int id;
    /** The instance's port as it is now: a freePorts instance may move to another one before a spawn. */
    private final Supplier<OptionalInt> port;
    private final InstanceOutput output;

    HookRunner(Engine engine, ProcessSpec spec, int id, Supplier<OptionalInt> port, InstanceOutput output) {
        this.engine = engine;
        this.spec = spec;
        this.id = id;
        this.port = port;
        this.output = output;
    }

    /** A hook that did not succeed: why, how its process ended (1 for a Java hook that threw), its last lines. */
    static final class HookFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient HookPhase phase;
        final transient ExitStatus status;
        final long pid;
        final transient List<String> lines;

        HookFailure(HookPhase phase, String message, ExitStatus status, long pid, List<String> lines, Throwable cause) {
            super(message, cause);
            this.phase = phase;
            this.status = status;
            this.pid = pid;
            this.lines = List.copyOf(lines);
        }
    }

    /** A running hook: its result, and a way to cut it off (a stop during a preStart). */
    record Run(CompletableFuture<Void> result, Runnable cancel) {
    }

    /** Runs {@code hook} for {@code phase}; {@code pid} and {@code reason} are what its context tells. */
    Run run(HookPhase phase, Hook hook, OptionalLong pid, String reason) {
        Duration timeout = hook.timeoutOr(phase == HookPhase.PRE_START ? io.tspm.Hooks.DEFAULT_PRE_START_TIMEOUT
                : io.tspm.Hooks.DEFAULT_TIMEOUT);
        return hook.kind() == Hook.Kind.CALLBACK ? callback(phase, hook, timeout, context(pid, reason))
                : command(phase, hook, timeout);
    }

    /** Runs {@code hook} and reports a failure (an event and a warning); the future never fails. */
    CompletableFuture<Void> runReported(HookPhase phase, Hook hook, OptionalLong pid, String reason) {
        return run(phase, hook, pid, reason).result().handle((x, e) -> {
            if (e != null) {
                reportFailure(phase, hook, e);
            }
            return null;
        });
    }

    /** Tells of a failed hook that does not fail a start: a {@link HookFailed} event and a warning. */
    void reportFailure(HookPhase phase, Hook hook, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        List<String> lines = cause instanceof HookFailure ? ((HookFailure) cause).lines : List.of();
        LOG.warn("{}", cause.getMessage());
        engine.publish(new HookFailed(engine.now(), spec.name(), id, phase, hook.toString(),
                String.valueOf(cause.getMessage()), lines));
    }

    private String describe(HookPhase phase, Hook hook) {
        return phase.configName() + " hook " + hook + " of " + spec.name() + "#" + id;
    }

    // ---- Java hooks -------------------------------------------------------------------------

    private Run callback(HookPhase phase, Hook hook, Duration timeout, HookContext context) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = engine.blockingProbes.submit(() -> {
                try {
                    hook.action().run(context);
                    result.complete(null);
                } catch (Throwable t) {
                    result.completeExceptionally(new HookFailure(phase, describe(phase, hook) + " failed: " + t,
                            new ExitStatus(1), 0, List.of(), t));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new HookFailure(phase, describe(phase, hook)
                    + " could not run: the supervisor is closed", new ExitStatus(1), 0, List.of(), e));
            return new Run(result, () -> { });
        }
        Future<?> timer = engine.schedule(() -> {
            if (result.completeExceptionally(new HookFailure(phase, describe(phase, hook) + " did not finish within "
                    + Human.duration(timeout), new ExitStatus(128 + Signal.KILL.number()), 0, List.of(), null))) {
                task.cancel(true);
            }
        }, timeout);
        result.whenComplete((x, e) -> timer.cancel(false));
        return new Run(result, () -> {
            if (result.completeExceptionally(new HookFailure(phase, describe(phase, hook) + " was cut off by a stop",
                    new ExitStatus(1), 0, List.of(), null))) {
                task.cancel(true);
            }
        });
    }

    private HookContext context(OptionalLong pid, String reason) {
        Map<String, String> env;
        Path base = spec.workingDirectory().orElse(Paths.get("")).toAbsolutePath();
        try {
            env = LaunchPlan.environment(spec, id, port.get(), base, engine.spawnContext(spec.name(), id),
                    engine.environments).toMap();
        } catch (LaunchPlan.SpawnFailure e) {
            // The instance's own spawn reports it; the hook still learns what could be known.
            env = new HashMap<>(spec.inheritEnvironment() ? System.getenv() : Map.of());
            env.put(ProcessSpec.PROCESS_NAME_VAR, spec.name());
        }
        Map<String, String> environment = Map.copyOf(env);
        String name = spec.name();
        int instance = id;
        OptionalInt instancePort = port.get();
        return new HookContext() {
            @Override
            public String processName() {
                return name;
            }

            @Override
            public int instanceId() {
                return instance;
            }

            @Override
            public OptionalLong pid() {
                return pid;
            }

            @Override
            public OptionalInt port() {
                return instancePort;
            }

            @Override
            public Optional<String> reason() {
                return Optional.ofNullable(reason);
            }

            @Override
            public Map<String, String> environment() {
                return environment;
            }
        };
    }

    // ---- command and shell hooks ------------------------------------------------------------

    /** The instance's spec with the hook as its program: the same directory, environment, user and nice. */
    private ProcessSpec hookSpec(Hook hook) {
        Program program = hook.kind() == Hook.Kind.SHELL ? new Program.Shell(hook.argv().get(0))
                : new Program.Command(hook.argv());
        return spec.toBuilder().program(program).args(List.of()).clearStartupProbe().clearReadinessProbe()
                .clearLivenessProbe().captureOutput(true).mergeStderr(true).build();
    }

    private Run command(HookPhase phase, Hook hook, Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        AtomicBoolean cutOff = new AtomicBoolean();
        // Spawned as the instance is, registered with the reaper: a hook must not outlive a crashed supervisor either.
        CompletableFuture<SpawnedProcess> spawned = engine.launcher.submit(
                () -> SpawnedProcess.spawn(engine, hookSpec(hook), id, port.get(), false));
        spawned.whenComplete((sp, err) -> {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                result.completeExceptionally(new HookFailure(phase, describe(phase, hook) + " could not run: "
                        + cause.getMessage(), new ExitStatus(127), 0, List.of(), cause));
                return;
            }
            watch(phase, hook, timeout, sp.process(), sp.startTicks(), cutOff, result);
        });
        return new Run(result, () -> {
            cutOff.set(true);
            spawned.thenAccept(sp -> kill(sp.process()));
        });
    }

    private void watch(HookPhase phase, Hook hook, Duration timeout, Process p, long ticks, AtomicBoolean cutOff,
            CompletableFuture<Void> result) {
        CompletableFuture<Void> drained = engine.spawner.pump(p, OutputStreamKind.STDOUT,
                output.hookWriter(p.pid(), "[" + phase.configName() + "] "), spec.logs().maxLineLength(),
                "tspm-" + engine.name + "-" + spec.name() + "-" + id + "-" + phase.configName());
        AtomicBoolean timedOut = new AtomicBoolean();
        Future<?> timer = engine.schedule(() -> {
            timedOut.set(true);
            kill(p);
        }, timeout);
        if (cutOff.get()) {
            kill(p); // cut off while it was being spawned
        }
        p.onExit().whenCompleteAsync((x, e) -> {
            timer.cancel(false);
            // Whatever it left behind in its session goes with it.
            engine.tree.reapLeftovers(p, ticks, Signal.KILL, Duration.ofSeconds(1))
                    .whenComplete((o, e2) -> engine.forgetSession(p.pid()));
            engine.orAfter(drained, OUTPUT_DRAIN).whenComplete((y, e3) -> {
                ExitStatus status = new ExitStatus(p.exitValue());
                List<String> lines = output.lastTextsOf(p.pid(), FAILURE_LINES);
                if (timedOut.get()) {
                    result.completeExceptionally(new HookFailure(phase, describe(phase, hook)
                            + " did not finish within " + Human.duration(timeout), status, p.pid(), lines, null));
                } else if (cutOff.get()) {
                    result.completeExceptionally(new HookFailure(phase, describe(phase, hook)
                            + " was cut off by a stop", status, p.pid(), lines, null));
                } else if (!status.isZero()) {
                    result.completeExceptionally(new HookFailure(phase, describe(phase, hook) + " failed: " + status
                            + (lines.isEmpty() ? "" : ", last line: " + lines.get(lines.size() - 1)), status, p.pid(),
                            lines, null));
                } else {
                    result.complete(null);
                }
            });
        }, engine.callbacks);
    }

    private void kill(Process p) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
