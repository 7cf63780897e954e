package io.tspm.testsupport;

import io.tspm.ProcessInstance;
import io.tspm.Signal;
import io.tspm.Supervisor;
import java.time.Duration;

/**
 * A host JVM, started with SIGINT ignored, that stops a child whose stop signal is SIGINT and
 * which traps it; prints {@code OUTCOME <stop outcome>}. The argument picks the launch path:
 * {@code jdk} or {@code native}.
 */
public final class IgnoredSignalHostMain {

    public static void main(String[] args) {
        try (Supervisor s = Supervisor.builder().name("ignoring").nativeLaunch(args[0].equals("native"))
                .addProcess("int", p -> p.shell("trap 'echo got-int; exit 0' INT; echo ready; while true; do sleep 0.05; done")
                        .stopSignal(Signal.INT).stopTimeout(Duration.ofSeconds(2)))
                .build()) {
            s.start();
            ProcessInstance i = s.group("int").instance(0);
            Await.await().until(() -> i.recentOutput(1).contains("ready"));
            System.out.println("OUTCOME " + i.stop());
            System.out.println("OUTPUT " + i.recentOutput(5));
        }
    }
}
