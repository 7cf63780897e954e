package io.tspm.examples;

import io.tspm.InstanceState;
import io.tspm.ProcessInstance;
import io.tspm.ProcessSpec;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessReady;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The README's example: a supervisor in a {@code main} that runs a cluster of two HTTP instances
 * (a small Java app), a shell worker that depends on them, shows their state, survives the crash of
 * one instance (SIGKILLed from outside) and stops everything cleanly.
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");

        Path logs = Path.of("target", "quickstart-logs").toAbsolutePath();
        try (Supervisor supervisor = Supervisor.builder()
                .name("quickstart")
                .logDirectory(logs)                                    // web-0.out.log, worker-0.out.log, ...
                .addProcess(ProcessSpec.builder("web")
                        .command(java, "-Xmx32m", "-cp", classpath, DemoHttpApp.class.getName())
                        .instances(2)
                        .basePort(18080)                               // instance i gets PORT=18080+i
                        .restartPolicy(RestartPolicy.builder().initialDelay(Duration.ofMillis(200)).build())
                        .build())
                .addProcess(ProcessSpec.builder("worker")
                        .shell("while true; do echo \"working as $TSPM_INSTANCE_ID\"; sleep 1; done")
                        .dependsOn("web")                              // starts after web is running
                        .build())
                .addListener(event -> {
                    if (event instanceof ProcessExited || event instanceof ProcessReady) {
                        System.out.println("  event: " + event);
                    }
                })
                .build()) {

            supervisor.start();                                        // waits until everything runs
            System.out.println("\nAll started:\n" + StatusTable.render(supervisor.list()));
            waitForHttp(18080);
            waitForHttp(18081);
            System.out.println("GET :18080 -> " + get(18080) + "GET :18081 -> " + get(18081));

            ProcessInstance victim = supervisor.group("web").instance(1);
            long pid = victim.pid().getAsLong();
            System.out.println("Killing web#1 (pid " + pid + ") with SIGKILL from outside...");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(victim.state() == InstanceState.RUNNING && victim.pid().getAsLong() != pid)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("web#1 was not restarted: " + victim.snapshot());
                }
                Thread.sleep(20);
            }
            waitForHttp(18081);
            System.out.println("\nweb#1 was restarted and serves again: GET :18081 -> " + get(18081));
            System.out.println(StatusTable.render(supervisor.list()));

            System.out.println("Recent output of worker#0: " + supervisor.group("worker").instance(0).recentOutput(3));
            System.out.println("Exit history of web#1: " + supervisor.group("web").instance(1).exitHistory());
            System.out.println("Log files in " + logs + ": " + Arrays.toString(logs.toFile().list()));
            supervisor.stop();                                         // dependents first, SIGTERM then SIGKILL
            System.out.println("\nAll stopped:\n" + StatusTable.render(supervisor.list()));
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        System.out.println(left.isEmpty() ? "No process left behind." : "LEFT BEHIND: " + left);
    }

    private static void waitForHttp(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                get(port);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing answers on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String get(int port) throws Exception {
        URL url = URI.create("http://127.0.0.1:" + port + "/").toURL();
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
