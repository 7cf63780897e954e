package io.tspm.testsupport;

import io.tspm.InstanceState;
import io.tspm.Supervisor;

/**
 * Runs with tspm-core on the module path (a named module, as a modular application sees it):
 * starts a child, which needs the reaper script loaded from inside the module, and stops it.
 */
public final class ModularMain {

    public static void main(String[] args) {
        System.out.println("module: " + Supervisor.class.getModule().getName());
        try (Supervisor s = Supervisor.builder().addProcess("m", p -> p.command("sleep", "30")).build()) {
            s.start();
            System.out.println("state: " + s.describe("m").get(0).state() + ", reaper: " + s.reaperPid().isPresent());
            if (s.describe("m").get(0).state() != InstanceState.RUNNING) {
                System.exit(2);
            }
        }
        System.out.println("stopped");
    }
}
