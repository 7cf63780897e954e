package io.tspm.testsupport;

import io.tspm.InstanceState;
import io.tspm.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A host JVM for the orphan test: supervises sleepers, a Java child and a script that forks
 * grandchildren (one orphaned at once), prints every descendant's pid (PIDS), the supervised ones
 * (MAIN) and the companion reaper's (REAPER), then waits to be killed.
 * Arguments: a scratch directory, and whether to use the parent-death signal too.
 */
public final class OrphanHostMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path script = Scripts.write(dir, "forker.sh", String.join("\n",
                "sleep 300 &",
                "(trap '' TERM; while true; do sleep 0.1; done) &",
                "sh -c 'sleep 300 &'",
                "echo forked",
                "wait"));
        Supervisor s = Supervisor.builder().name("host").parentDeathSignal(Boolean.parseBoolean(args[1]))
                .addProcess("sleepers", p -> p.command("sleep", "300").instances(2))
                .addProcess("java", p -> p.command(Scripts.java(HelperMain.class)))
                .addProcess("forker", p -> p.command(script.toString()))
                .build();
        s.start();
        while (!s.group("forker").instance(0).recentOutput(1).contains("forked")
                || s.list().stream().anyMatch(i -> i.state() != InstanceState.RUNNING)) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L); // let the forked grandchildren exec
        long reaper = s.reaperPid().orElse(-1);
        String pids = ProcessHandle.current().descendants()
                .filter(h -> h.pid() != reaper)
                .map(h -> Long.toString(h.pid())).collect(Collectors.joining(" "));
        // The orphaned grandchild was reparented away from us: find it through the children's sessions.
        StringBuilder all = new StringBuilder(pids);
        for (var i : s.list()) {
            long sid = i.pid().getAsLong();
            try (var stream = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) stream::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        if (Long.parseLong(f[3]) == sid && !(" " + all + " ").contains(" " + name + " ")) {
                            all.append(' ').append(name);
                        }
                    } catch (Exception gone) {
                        // exited meanwhile
                    }
                }
            }
        }
        System.out.println("PIDS " + all);
        System.out.println("MAIN " + s.list().stream().map(i -> Long.toString(i.pid().getAsLong()))
                .collect(Collectors.joining(" ")));
        System.out.println("REAPER " + reaper);
        System.out.flush();
        while (true) {
            java.util.concurrent.locks.LockSupport.park(); // until the test kills this JVM
        }
    }
}
