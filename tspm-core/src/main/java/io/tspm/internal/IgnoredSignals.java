package io.tspm.internal;

import io.tspm.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The signals this JVM ignores, which a child spawned through the JDK inherits ignored: exec keeps
 * an ignored disposition, and neither {@code jspawnhelper} nor {@code setsid} resets it. A JVM
 * ignores a signal only when it was started so (it leaves an inherited {@code SIG_IGN} alone): INT
 * and QUIT in a background job of a non-interactive shell, HUP under {@code nohup}. Such a child
 * can neither receive nor trap the signal (POSIX: a non-interactive shell cannot trap a signal
 * ignored on entry).
 */
final class IgnoredSignals {

    private IgnoredSignals() {
    }

    /** Read from {@code /proc/self/status}; empty where there is none. */
    static Set<Signal> ofThisJvm() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return fromMask(Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc, or a line we cannot read: nothing to warn about.
        }
        return EnumSet.noneOf(Signal.class);
    }

    /** The signals whose bits ({@code 1 << (n - 1)} for signal {@code n}) are set in {@code mask}. */
    static Set<Signal> fromMask(long mask) {
        Set<Signal> out = EnumSet.noneOf(Signal.class);
        for (Signal s : Signal.values()) {
            if ((mask & (1L << (s.number() - 1))) != 0) {
                out.add(s);
            }
        }
        return out;
    }
}
