package io.tspm.internal;

import io.tspm.Human;
import io.tspm.Signal;
import io.tspm.StopOutcome;
import io.tspm.time.Scheduler;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals and stops the tree of one child: the child, its descendants and, where each child leads
 * its own session, every process left in that session (orphaned grandchildren included). Members
 * are named by pid and start time and checked again just before each signal, so a pid that was
 * reused meanwhile is never signalled. Nothing here blocks: waits are polls on the scheduler.
 */
final class ProcessTree {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 100;
    /** How long after a child's own exit its leftovers are looked for. */
    private static final Duration LEFTOVER_DELAY = Duration.ofMillis(50);
    /** How long the final sweep for late members waits, so stops that end together share a scan. */
    private static final Duration SWEEP_DELAY = Duration.ofMillis(10);
    /** After SIGKILL, how long to wait for the kernel before giving up on a process (D state). */
    static final Duration KILL_GRACE = Duration.ofSeconds(10);

    private final Platform platform;
    private final Scheduler scheduler;
    /** The supervisor's time, for the kill grace (scans compare real nanoTime: they order /proc reads). */
    private final io.tspm.time.Ticker ticker;
    private final ProcTable.Shared table = new ProcTable.Shared();
    /** Finds what an exited child left in its session, from a listing kept between exits. */
    private final SessionMembers sessions = new SessionMembers();

    /** Where work that follows a process's exit runs (the engine thread, not the JDK's reaper thread). */
    private final java.util.concurrent.Executor callbacks;

    /** Signals members without a pid-reuse window where it can (pidfds on the native path). */
    private final Spawner spawner;

    ProcessTree(Platform platform, Scheduler scheduler, io.tspm.time.Ticker ticker,
            java.util.concurrent.Executor callbacks, Spawner spawner) {
        this.spawner = spawner;
        this.platform = platform;
        this.callbacks = callbacks;
        this.scheduler = scheduler;
        this.ticker = ticker;
    }

    /** A process named by pid and start time (start ticks -1 where there is no /proc). */
    record Member(long pid, long startTicks, ProcessHandle handle) {

        boolean alive() {
            if (startTicks >= 0) {
                ProcStat st = ProcStat.read(pid);
                return st != null && !st.exited() && st.startTicks() == startTicks;
            }
            return handle.isAlive();
        }
    }

    /** The start ticks of a live pid, or -1 where there is no /proc (or it is gone). */
    long startTicks(long pid) {
        if (!platform.hasProc()) {
            return -1;
        }
        ProcStat st = ProcStat.read(pid);
        return st == null ? -1 : st.startTicks();
    }

    /**
     * The live members of the tree rooted at {@code root}, from a /proc scan taken at or after
     * {@code scannedSince} (nanoTime), so every process that existed then is in it.
     */
    List<Member> members(long rootPid, long rootTicks, ProcessHandle rootHandle, long scannedSince) {
        List<Member> out = new ArrayList<>();
        if (platform.hasProc() && rootTicks >= 0) {
            long session = platform.hasSessions() ? rootPid : 0;
            ProcTable scan = table.takenSince(scannedSince);
            for (ProcStat st : scan.tree(ProcStat.ofIdentity(rootPid, rootTicks), session)) {
                out.add(new Member(st.pid(), st.startTicks(), null));
            }
        } else if (rootHandle != null && rootHandle.isAlive()) {
            Stream.concat(Stream.of(rootHandle), rootHandle.descendants())
                    .forEach(h -> out.add(new Member(h.pid(), -1, h)));
        }
        return out;
    }

    /**
     * Sends {@code signal} to the members that are still who they were. For TERM and KILL the
     * handle is taken first and the start time checked after: the JDK signals only the process
     * the handle was taken for, and that one has been shown to be ours. Other signals go through
     * {@code kill -s}, checked just before; a pid reused within those milliseconds is the one gap.
     * The native path has no gap: a pidfd is taken first, the start time checked, and the signal
     * sent through the pidfd, for every signal.
     */
    void send(Signal signal, List<Member> members) {
        if (spawner.signal(signal.number(), members)) {
            return;
        }
        if (signal == Signal.TERM || signal == Signal.KILL) {
            for (Member m : members) {
                Optional<ProcessHandle> h = m.handle != null ? Optional.of(m.handle) : ProcessHandle.of(m.pid);
                if (h.isPresent() && m.alive()) {
                    if (signal == Signal.KILL) {
                        h.get().destroyForcibly();
                    } else {
                        h.get().destroy();
                    }
                }
            }
            return;
        }
        List<Member> live = new ArrayList<>();
        for (Member m : members) {
            if (m.alive()) {
                live.add(m);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "kill -s \"$0\" \"$@\"", signal.shortName()));
        live.forEach(m -> argv.add(Long.toString(m.pid)));
        try {
            new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("cannot send {} to {}", signal, argv.subList(4, argv.size()), e);
        }
    }

    /**
     * Stops the tree of a process the supervisor gave up on (a probe, the memory limit), like
     * {@link #stop}; should that fail, SIGKILL to the process itself. Never throws: its exit follows.
     */
    void kill(Process main, long mainTicks, Signal signal, Duration timeout, String who) {
        try {
            stop(main, mainTicks, signal, timeout, System.nanoTime()).exceptionally(e -> {
                main.destroyForcibly();
                return StopOutcome.KILLED;
            });
        } catch (RuntimeException e) {
            LOG.error("killing {} (pid {}) failed; SIGKILL", who, main.pid(), e);
            main.destroyForcibly();
        }
    }

    /**
     * Stops the tree of {@code main}: {@code signal} to every member, then SIGKILL to whatever is
     * left at {@code timeout} (and to members that appeared meanwhile). Completes when all are gone.
     */
    CompletableFuture<StopOutcome> stop(Process main, long mainTicks, Signal signal, Duration timeout,
            long requestedAt) {
        List<Member> members = members(main.pid(), mainTicks, main.toHandle(), requestedAt);
        if (main.isAlive() && members.stream().noneMatch(m -> m.pid() == main.pid())) {
            members.add(0, new Member(main.pid(), -1, main.toHandle()));
        }
        return run(main, mainTicks, members, signal, timeout);
    }

    /**
     * Cleans up after a child that exited by itself: members of its session that outlived it get
     * the stop signal, then SIGKILL at the timeout. Runs a little later, so it never competes with
     * the restart, and so that exits in a burst share one /proc scan.
     */
    CompletableFuture<StopOutcome> reapLeftovers(Process main, long mainTicks, Signal signal, Duration timeout) {
        if (!platform.hasSessions() || mainTicks < 0) {
            return CompletableFuture.completedFuture(StopOutcome.NOT_RUNNING);
        }
        long exitedAt = System.nanoTime();
        CompletableFuture<StopOutcome> result = new CompletableFuture<>();
        scheduler.schedule(() -> {
            List<Member> left;
            if (platform.hasProc()) {
                left = new ArrayList<>();
                for (ProcStat st : sessions.of(main.pid(), mainTicks)) { // each read just now
                    left.add(new Member(st.pid(), st.startTicks(), null));
                }
            } else {
                left = members(main.pid(), mainTicks, null, exitedAt);
                left.removeIf(m -> !m.alive());
            }
            run(main, mainTicks, left, signal, timeout).whenComplete((o, e) -> result.complete(o));
        }, LEFTOVER_DELAY);
        return result;
    }

    private CompletableFuture<StopOutcome> run(Process main, long mainTicks, List<Member> members, Signal signal,
            Duration timeout) {
        StopRun run = new StopRun(main, mainTicks, signal);
        if (members.isEmpty() && !main.isAlive()) {
            run.result.complete(StopOutcome.NOT_RUNNING);
            return run.result;
        }
        run.members.addAll(members);
        send(signal, members);
        main.onExit().thenRunAsync(run::check, callbacks);
        java.util.concurrent.Future<?> timer = scheduler.schedule(run::timeout, timeout);
        if (timeout.isZero()) {
            run.timeout();
        }
        run.result.whenComplete((o, e) -> timer.cancel(false));
        run.poll(FIRST_POLL_MILLIS);
        return run.result;
    }

    /** One stop in progress. */
    private final class StopRun {
        final CompletableFuture<StopOutcome> result = new CompletableFuture<>();
        final List<Member> members = new ArrayList<>();
        final Process main;
        final long mainTicks;
        /** The stop signal; late members get it too, and SIGKILL only at the timeout. */
        final Signal signal;
        boolean killed;
        long killedAtNanos;
        /** When the members were last all seen gone (0: not yet, or a sweep found more). */
        long allGoneAt;

        StopRun(Process main, long mainTicks, Signal signal) {
            this.main = main;
            this.mainTicks = mainTicks;
            this.signal = signal;
            this.killed = signal == Signal.KILL;
            this.killedAtNanos = killed ? ticker.read() : 0;
        }

        void poll(long millis) {
            scheduler.schedule(() -> {
                check();
                if (!result.isDone()) {
                    poll(Math.min(MAX_POLL_MILLIS, millis * 2));
                }
            }, Duration.ofMillis(millis));
        }

        synchronized void check() {
            if (result.isDone()) {
                return;
            }
            members.removeIf(m -> !m.alive());
            if (!members.isEmpty() || main.isAlive()) {
                if (killed && ticker.read() - killedAtNanos > KILL_GRACE.toNanos()) {
                    LOG.error("processes {} of pid {} survived SIGKILL for {}; giving up on them",
                            members.stream().map(Member::pid).toList(), main.pid(), Human.duration(KILL_GRACE));
                    result.complete(StopOutcome.KILLED);
                }
                return;
            }
            if (allGoneAt == 0) {
                allGoneAt = System.nanoTime();
                scheduler.schedule(this::sweep, SWEEP_DELAY);
            }
        }

        /** Members that joined the session late (a fork racing the signal) are still ours. */
        synchronized void sweep() {
            if (result.isDone()) {
                return;
            }
            List<Member> late = members(main.pid(), mainTicks, null, allGoneAt);
            late.removeIf(m -> !m.alive());
            if (late.isEmpty()) {
                result.complete(killed ? StopOutcome.KILLED : StopOutcome.GRACEFUL);
                return;
            }
            allGoneAt = 0;
            members.addAll(late);
            if (killed) {
                kill();
            } else {
                // A child forked as the signal went out: it gets the same signal, and SIGKILL at
                // the timeout like the rest, so a clean stop of a forking shell stays graceful.
                send(signal, late);
            }
        }

        synchronized void timeout() {
            if (result.isDone()) {
                return;
            }
            for (Member m : members(main.pid(), mainTicks, main.toHandle(), System.nanoTime())) {
                if (!members.contains(m)) {
                    members.add(m);
                }
            }
            if (main.isAlive() && members.stream().noneMatch(m -> m.pid() == main.pid())) {
                members.add(new Member(main.pid(), -1, main.toHandle()));
            }
            kill();
        }

        private void kill() {
            if (!killed) {
                killed = true;
                killedAtNanos = ticker.read();
            }
            send(Signal.KILL, members);
        }
    }
}
