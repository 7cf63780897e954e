package io.tspm.examples.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the benchmark does with each contender, small: 3 sleepers, one killed and replaced, the
 * writer's 1,000 lines in its file, and nothing left after close. PM2 and supervisord only where
 * installed; the floor where gcc is.
 */
class ContenderSessionTest {

    @TempDir
    Path dir;

    private Workloads workloads() throws Exception {
        Path awk = dir.resolve("lines.awk");
        Files.writeString(awk, "BEGIN { for (i = 0; i < 1000; i++) printf \"line %07d\\n\", i }\n");
        return new Workloads(List.of(PeerBenchmark.which("sleep"), "1000"), List.of(PeerBenchmark.which("awk"), "-f",
                awk.toString()), 1000, List.of(3));
    }

    @Test
    void floor() throws Exception {
        Contender c = new FloorContender(dir);
        assumeThat(c.missing()).isNull();
        exercise(c);
    }

    @Test
    void tspm() throws Exception {
        exercise(new TspmContender(TspmContender.resolveJava(null), List.of("-Xmx64m")));
    }

    @Test
    void pm2() throws Exception {
        Contender c = new Pm2Contender(null);
        assumeThat(c.missing()).isNull();
        exercise(c);
    }

    @Test
    void supervisord() throws Exception {
        Contender c = new SupervisordContender(null, false);
        assumeThat(c.missing()).isNull();
        exercise(c);
    }

    private void exercise(Contender c) throws Exception {
        Workloads w = workloads();
        Path round = Files.createDirectories(dir.resolve(c.name()));
        long pid;
        List<ProcessHandle> seen;
        try (Contender.Session s = c.open(round, w)) {
            pid = s.supervisorPid();
            ChildWatch watch = new ChildWatch(pid, w.sleeper().get(0));
            s.prepareSleepers(3);
            s.startSleepers(3).get(60, TimeUnit.SECONDS);
            watch.awaitRunning(3, deadline());
            List<Long> first = watch.running();
            Set<Long> known = watch.all();
            ProcessHandle.of(first.get(0)).orElseThrow().destroyForcibly();
            watch.awaitNew(known, deadline());
            seen = watch.seen();
            assertThat(seen).hasSize(4);
            s.stopSleepers(3).get(60, TimeUnit.SECONDS);
            watch.awaitNone(deadline());

            Path log = s.startWriter();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log) && Files.size(log) == 13_000);
            s.forgetWriter().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)
                && seen.stream().noneMatch(ProcessHandle::isAlive));
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    }
}
