package io.tspm.examples;

import io.tspm.ProcessSpec;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import io.tspm.healthcheck.Probes;
import java.time.Duration;

/** The code examples of README.md, kept here so the build proves they compile. Not meant to be run. */
final class ReadmeExample {

    private ReadmeExample() {
    }

    static void testExample() {
        try (Supervisor helpers = Supervisor.builder()
                .addProcess(ProcessSpec.builder("fake-upstream")
                        .command("java", "-jar", "fake-upstream.jar")
                        .freePorts()
                        .startupProbe(Probes.logLine("Started").failOn("Address already in use"))
                        .readinessProbe(Probes.http("http://127.0.0.1:{port}/health").expectBody("UP"))
                        .build())
                .build()) {
            helpers.start();   // ready, or a ProcessStartException with the helper's last 20 lines
            int port = helpers.group("fake-upstream").instance(0).port().getAsInt();
            System.out.println(port);
            // ... the test ...
        }                      // stopped, process tree and all; a killed test JVM takes them with it
    }

    static void example() {
        try (Supervisor supervisor = Supervisor.builder()
                .addProcess(ProcessSpec.builder("web")
                        .command("java", "-jar", "web.jar")     // argv, no shell (use .shell("...") if you want one)
                        .instances(2)                           // web#0 and web#1
                        .basePort(8080)                         // instance i gets PORT=8080+i, TSPM_INSTANCE_ID=i
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(500)).build())
                        .build())
                .addProcess("worker", p -> p
                        .script(java.nio.file.Path.of("worker.sh"))   // interpreter from the extension: sh
                        .envFile(java.nio.file.Path.of(".env"))
                        .dependsOn("web"))                     // starts after web runs, stops before it
                .addListener(event -> System.out.println(event))
                .build()) {
            supervisor.start();                                 // blocks until every process runs, or throws
            supervisor.list().forEach(System.out::println);     // state, pid, restarts, uptime, last exit
            supervisor.group("web").restart();
        }                                                       // close(): stop everything, release threads
    }
}
