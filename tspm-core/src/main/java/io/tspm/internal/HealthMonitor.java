package io.tspm.internal;

import io.tspm.Human;
import io.tspm.ProbeKind;
import io.tspm.ProbeSettings;
import io.tspm.ProbeStatus;
import io.tspm.spi.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Runs the probes of one OS process, with Kubernetes' semantics: the startup probe first; once it
 * passes (or when there is none), the readiness and liveness probes. Each probe is a loop on the
 * supervisor's scheduler: one check at a time, cut off at its timeout, the next one a period after
 * the last ended; successes and failures in a row against the thresholds make the verdict. A probe
 * that learns of a change (a log line it waits for) asks for a check at once through its context
 * ({@link #checkNow}), which the startup and readiness loops take. Verdict changes go to the
 * {@link Verdicts} the instance gave; nothing here blocks or holds its lock.
 */
final class HealthMonitor {

    /** While an instance has never been ready, its readiness probe checks at least this often. */
    static final Duration STARTING_PERIOD = Duration.ofMillis(100);

    /** Where verdicts go (the instance, which checks that they are for its current process). */
    interface Verdicts {
        void startupPassed();

        void failed(ProbeKind kind, String probe, int failures, ProbeResult last);

        void readinessChanged(boolean ready, String probe, ProbeResult last);
    }

    private final Engine engine;
    private final java.util.concurrent.Executor checks;
    private final InstanceProbeContext context;
    private final Verdicts verdicts;
    private final ProbeSettings startup;
    private final ProbeSettings readiness;
    private final ProbeSettings liveness;
    private final List<Loop> loops = new ArrayList<>();
    private volatile boolean everReady;
    /** The last word of each configured probe, replaced whole on each result (read without a lock). */
    private final java.util.concurrent.atomic.AtomicReference<java.util.Map<ProbeKind, ProbeStatus>> statuses =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean stopped; // read without the monitor's lock: loops never nest the two locks

    /** @param checks where checks run (the probe pool; never the scheduler thread, as a probe may block) */
    HealthMonitor(Engine engine, java.util.concurrent.Executor checks, InstanceProbeContext context, Verdicts verdicts,
            ProbeSettings startup, ProbeSettings readiness, ProbeSettings liveness) {
        this.engine = engine;
        this.checks = checks;
        this.context = context;
        this.verdicts = verdicts;
        this.startup = startup;
        this.readiness = readiness;
        java.util.Map<ProbeKind, ProbeStatus> initial = new java.util.EnumMap<>(ProbeKind.class);
        if (startup != null) {
            initial.put(ProbeKind.STARTUP, unchecked(ProbeKind.STARTUP, startup));
        }
        if (readiness != null) {
            initial.put(ProbeKind.READINESS, unchecked(ProbeKind.READINESS, readiness));
        }
        if (liveness != null) {
            initial.put(ProbeKind.LIVENESS, unchecked(ProbeKind.LIVENESS, liveness));
        }
        this.statuses.set(java.util.Collections.unmodifiableMap(initial));
        this.liveness = liveness;
    }

    synchronized void start() {
        context.bind(this);
        if (startup != null) {
            begin(ProbeKind.STARTUP, startup);
        } else {
            afterStartup();
        }
    }

    /** Stops every loop; results still in flight are ignored. */
    void stop() {
        stopped = true;
        List<Loop> all;
        synchronized (this) {
            all = new ArrayList<>(loops);
            loops.clear();
        }
        all.forEach(Loop::cancel); // outside this lock: a loop holds its own lock, then reads `stopped`
    }

    /**
     * A probe's answer may have changed: the startup loop (until it passed) and the readiness loop
     * check at once. Liveness keeps its period: its failure threshold counts periods of grace.
     */
    void checkNow() {
        if (stopped) {
            return;
        }
        List<Loop> woken = new ArrayList<>(2);
        synchronized (this) {
            for (Loop l : loops) {
                if (l.kind != ProbeKind.LIVENESS) {
                    woken.add(l);
                }
            }
        }
        woken.forEach(Loop::wake); // outside this lock, as in stop()
    }

    /** The last word of each probe (unchecked ones too), startup first. */
    List<ProbeStatus> statuses() {
        return List.copyOf(statuses.get().values());
    }

    private static ProbeStatus unchecked(ProbeKind kind, ProbeSettings settings) {
        return new ProbeStatus(kind, settings.probe().describe(), false, "", null, 0);
    }

    /** Lock-free: called under a loop's lock, which must never nest with the monitor's. */
    private void record(ProbeStatus status) {
        statuses.updateAndGet(now -> {
            java.util.Map<ProbeKind, ProbeStatus> next = new java.util.EnumMap<>(now);
            next.put(status.kind(), status);
            return java.util.Collections.unmodifiableMap(next);
        });
    }

    /** The readiness probe stops racing once the instance was ready: it settles to its own period. */
    void markReady() {
        everReady = true;
    }

    private void afterStartup() {
        if (readiness != null) {
            begin(ProbeKind.READINESS, readiness);
        }
        if (liveness != null) {
            begin(ProbeKind.LIVENESS, liveness);
        }
    }

    private void begin(ProbeKind kind, ProbeSettings settings) {
        Loop loop = new Loop(kind, settings);
        loops.add(loop);
        loop.schedule(settings.initialDelay());
    }

    private boolean isStopped() {
        return stopped;
    }

    /**
     * One probe's loop. At most one check runs at a time: the next is either scheduled (a period
     * after the last ended, or the initial delay) or asked for ({@link #wake}), never both.
     */
    private final class Loop {
        private final ProbeKind kind;
        private final ProbeSettings settings;
        private int successes;
        private int failures;
        private Boolean verdict;
        private Future<?> next;
        /** Which scheduled check is the current one: one that fires after a wake-up replaced it does nothing. */
        private long turn;
        /** The initial delay is over: wake-ups count from then on. */
        private boolean begun;
        /** A check is running. */
        private boolean running;
        /** A wake-up came while a check ran: check again as soon as it ends. */
        private boolean again;
        private boolean cancelled;

        Loop(ProbeKind kind, ProbeSettings settings) {
            this.kind = kind;
            this.settings = settings;
        }

        synchronized void schedule(Duration delay) {
            if (!cancelled) {
                long t = ++turn;
                next = engine.schedule(() -> due(t), delay);
            }
        }

        private void due(long t) {
            synchronized (this) {
                if (cancelled || t != turn || running) {
                    return;
                }
                begun = true;
                running = true;
                next = null;
            }
            dispatch();
        }

        /** A check now instead of at the scheduled time; after the one running, if one runs. */
        void wake() {
            synchronized (this) {
                if (cancelled || !begun) {
                    return; // before the initial delay the first check will see what changed
                }
                if (running) {
                    again = true;
                    return;
                }
                running = true;
                turn++;
                if (next != null) {
                    next.cancel(false);
                    next = null;
                }
            }
            dispatch();
        }

        /** Checks run on the probe pool, never on the scheduler thread (a probe may block). */
        private void dispatch() {
            try {
                checks.execute(this::check);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                onResult(ProbeResult.failure(settings.probe().describe() + " not run: the probe pool is full"));
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel(false);
            }
        }

        /**
         * One check, cut off at its timeout. The probe's future and the cut-off meet only through
         * {@code result}, whose completion publishes safely: whichever completes it first wins, and a
         * check still running then is cancelled (a blocking probe is interrupted), even when the
         * cut-off came before {@code check()} returned. No thread waits, so 1,000 probes need none.
         */
        private void check() {
            if (isStopped()) {
                return;
            }
            String probe = settings.probe().describe();
            CompletableFuture<ProbeResult> result = new CompletableFuture<>();
            Future<?> cutOff = engine.schedule(() -> result.complete(ProbeResult.failure(probe
                    + " did not answer within " + Human.duration(settings.timeout()))), settings.timeout());
            try {
                CompletableFuture<ProbeResult> running = settings.probe().check(context.withTimeout(settings.timeout()));
                if (running == null) {
                    result.complete(ProbeResult.failure(probe + " returned no future"));
                } else {
                    result.whenComplete((r, e) -> {
                        if (!running.isDone()) {
                            running.cancel(true); // cut off: let the probe stop its work
                        }
                    });
                    running.whenComplete((r, e) -> result.complete(e != null
                            ? ProbeResult.failure(probe + " threw " + unwrap(e))
                            : r == null ? ProbeResult.failure(probe + " returned no result") : r));
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                // A probe that cannot be set up (no basePort for {port}, a bad URL) will never pass.
                result.complete(ProbeResult.fatal(probe + ": " + e.getMessage()));
            } catch (RuntimeException e) {
                result.complete(ProbeResult.failure(probe + " threw " + e));
            }
            result.whenComplete((r, e) -> {
                cutOff.cancel(false);
                onResult(r);
            });
        }

        private void onResult(ProbeResult r) {
            Runnable report = null;
            boolean checkAgain = false;
            synchronized (this) {
                running = false;
                if (cancelled || isStopped()) {
                    return;
                }
                record(new ProbeStatus(kind, settings.probe().describe(), r.success(), r.message(), engine.now(),
                        r.success() ? 0 : failures + 1));
                if (r.success()) {
                    successes++;
                    failures = 0;
                    if (successes >= settings.successThreshold() && !Boolean.TRUE.equals(verdict)) {
                        verdict = true;
                        report = passed(r);
                    }
                } else {
                    failures++;
                    successes = 0;
                    if ((r.fatal() || failures >= settings.failureThreshold()) && !Boolean.FALSE.equals(verdict)) {
                        verdict = false;
                        int n = failures;
                        report = () -> failedVerdict(n, r);
                    }
                }
                if (kind == ProbeKind.STARTUP && Boolean.TRUE.equals(verdict)) {
                    cancelled = true; // its work is done
                } else if (!(kind != ProbeKind.READINESS && Boolean.FALSE.equals(verdict))) {
                    if (again) {
                        again = false;
                        running = true;
                        checkAgain = true;
                    } else {
                        Duration period = settings.period();
                        if (kind == ProbeKind.READINESS && !everReady && !Boolean.TRUE.equals(verdict)
                                && period.compareTo(STARTING_PERIOD) > 0) {
                            period = STARTING_PERIOD;
                        }
                        long t = ++turn;
                        next = engine.schedule(() -> due(t), period);
                    }
                }
            }
            if (report != null) {
                report.run();
            }
            if (checkAgain) {
                dispatch();
            }
        }

        private Runnable passed(ProbeResult r) {
            switch (kind) {
                case STARTUP:
                    return () -> {
                        synchronized (HealthMonitor.this) {
                            if (stopped) {
                                return;
                            }
                            afterStartup();
                        }
                        verdicts.startupPassed();
                    };
                case READINESS:
                    return () -> verdicts.readinessChanged(true, settings.probe().describe(), r);
                default:
                    return null;
            }
        }

        private void failedVerdict(int n, ProbeResult r) {
            if (kind == ProbeKind.READINESS) {
                verdicts.readinessChanged(false, settings.probe().describe(), r);
                if (r.fatal() && !everReady) {
                    verdicts.failed(kind, settings.probe().describe(), n, r);
                }
            } else {
                verdicts.failed(kind, settings.probe().describe(), n, r);
            }
        }
    }

    private static String unwrap(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e.toString();
    }
}
