package io.tspm.testsupport;

import io.tspm.Supervisor;

/**
 * A host JVM that starts children without orphan protection, prints their pids and exits
 * normally: only the supervisor's shutdown hook can stop them.
 */
public final class ExitingHostMain {

    public static void main(String[] args) {
        Supervisor s = Supervisor.builder().name("exiting").orphanProtection(false)
                .addProcess("sleepers", p -> p.command("sleep", "300").instances(3))
                .build();
        s.start();
        StringBuilder pids = new StringBuilder("PIDS");
        s.list().forEach(i -> pids.append(' ').append(i.pid().getAsLong()));
        System.out.println(pids);
        System.out.flush();
        System.exit(0);
    }
}
