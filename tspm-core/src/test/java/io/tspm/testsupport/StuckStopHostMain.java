package io.tspm.testsupport;

import io.tspm.Supervisor;
import io.tspm.testing.ManualScheduler;
import java.time.Duration;

/**
 * A host JVM whose supervisor's stop cannot end: its timeouts run on a manual scheduler that
 * nobody moves. It starts a child that ignores SIGTERM, prints its pid and exits normally; the
 * shutdown hook must still let the JVM go.
 */
public final class StuckStopHostMain {

    public static void main(String[] args) {
        ManualScheduler time = new ManualScheduler();
        Supervisor s = Supervisor.builder().name("stuck").scheduler(time).ticker(time)
                .addProcess("deaf", p -> p.shell("trap '' TERM; while :; do sleep 1; done")
                        .readyAfter(Duration.ZERO).stopTimeout(Duration.ofSeconds(1)))
                .build();
        s.start();
        System.out.println("PIDS " + s.list().get(0).pid().getAsLong());
        System.out.flush();
        System.exit(0);
    }
}
