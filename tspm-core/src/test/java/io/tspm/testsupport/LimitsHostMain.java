package io.tspm.testsupport;

import io.tspm.ProcessStartException;
import io.tspm.Supervisor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A helper JVM for the resource-limit tests: a supervisor with a running {@code warm} process and
 * a {@code probe} process that stays stopped; on each {@code start} line from stdin it starts
 * {@code probe} once and prints {@code RUNNING} or {@code FAILED <reason>}; on {@code stop} it stops
 * it. It prints {@code READY <launch path>} first, so the test can tighten its limits from outside
 * while no thread of it needs to be made any more.
 */
public final class LimitsHostMain {

    private LimitsHostMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Supervisor s = Supervisor.builder().name("limits").shutdownHook(false)
                .addProcess("warm", p -> p.command("sleep", "300"))
                .addProcess("probe", p -> p.command("sleep", "301").autostart(false)
                        .restartPolicy(io.tspm.RestartPolicy.never()))
                .build()) {
            s.start();
            // every thread the next start needs exists now: once started and stopped, probe leaves none to make
            s.group("probe").start();
            s.group("probe").stop();
            String path = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("tspm-limits-exits")) ? "native" : "jdk";
            System.out.println("READY " + path);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("start")) {
                    try {
                        s.group("probe").start();
                        System.out.println("RUNNING");
                    } catch (ProcessStartException e) {
                        System.out.println("FAILED " + s.describe("probe").get(0).state() + " "
                                + e.getMessage().replace('\n', ' '));
                    }
                } else if (line.equals("stop")) {
                    s.group("probe").stop();
                    System.out.println("STOPPED");
                }
                System.out.flush();
            }
        }
    }
}
