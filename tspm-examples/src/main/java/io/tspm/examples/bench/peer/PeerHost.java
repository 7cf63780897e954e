package io.tspm.examples.bench.peer;

import io.tspm.LogSettings;
import io.tspm.ProcessSpec;
import io.tspm.RestartPolicy;
import io.tspm.Supervisor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * tspm's side of the peer benchmark: a fresh JVM holding one {@link Supervisor} (its logs under
 * the directory given as the argument), driven by commands on stdin, one a line, each answered
 * "ok" once the public API returned:
 * <pre>
 *   start NAME N ARGV...   add a process of N instances, restarted at once when it dies
 *   lines NAME ARGV...     add a process run once, its stdout into NAME-0.out.log as it came
 *   remove NAME            stop and remove it
 * </pre>
 * At EOF the supervisor closes and the JVM ends. The specs keep tspm's defaults (output captured
 * into files) except what the other contenders are given too: ready once spawned (supervisord's
 * {@code startsecs=0}), no restart delay, no limit on restarts, and for the writer no timestamps
 * and no copy of each line to SLF4J.
 */
public final class PeerHost {

    private PeerHost() {
    }

    public static void main(String[] args) throws Exception {
        Path logs = Path.of(args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Supervisor s = Supervisor.builder().name("peer").logDirectory(logs).build()) {
            s.start();
            System.out.println("ok java=" + System.getProperty("java.version") + " tspm.launch="
                    + System.getProperty("tspm.launch", "(unset)"));
            for (String line; (line = in.readLine()) != null; ) {
                List<String> w = Arrays.asList(line.trim().split(" +"));
                try {
                    run(s, w);
                    System.out.println("ok");
                } catch (RuntimeException e) {
                    System.out.println("err " + e.toString().replace('\n', ' '));
                }
            }
        }
    }

    private static void run(Supervisor s, List<String> w) {
        switch (w.get(0)) {
            case "start" -> s.add(ProcessSpec.builder(w.get(1)).command(w.subList(3, w.size()))
                    .instances(Integer.parseInt(w.get(2))).readyAfter(Duration.ZERO)
                    .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ZERO).unlimitedRestarts().build())
                    .build());
            case "lines" -> s.add(ProcessSpec.builder(w.get(1)).command(w.subList(2, w.size()))
                    .readyAfter(Duration.ZERO).restartPolicy(RestartPolicy.never())
                    .logs(LogSettings.builder().noTimestamps().stdoutLevel(null).stderrLevel(null)
                            .maxFileSize(1L << 40).build())
                    .build());
            case "remove" -> s.remove(w.get(1));
            default -> throw new IllegalArgumentException("unknown command " + w.get(0)
                    + " (expected start, lines or remove)");
        }
    }
}
