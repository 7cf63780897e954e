package io.tspm.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Writes small executable /bin/sh scripts for tests. */
public final class Scripts {

    private Scripts() {
    }

    /** Writes {@code body} as an executable /bin/sh script named {@code name} in {@code dir}. */
    public static Path write(Path dir, String name, String body) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A java command line that runs {@code main} from this test class path. */
    public static List<String> java(Class<?> main, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Whether a process with this pid and start time still runs (false for zombies). */
    public static boolean alive(long pid, String startTicks) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !f[0].equals("Z") && !f[0].equals("X") && f[19].equals(startTicks);
        } catch (IOException e) {
            return false;
        }
    }

    /** The start ticks of a live pid (field 22 of /proc/pid/stat). */
    public static String startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
