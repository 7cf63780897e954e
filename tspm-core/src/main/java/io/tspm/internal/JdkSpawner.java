package io.tspm.internal;

import io.tspm.Signal;
import java.io.IOException;
import java.util.Set;

/** The JDK's launch path: {@link ProcessBuilder#start}, with {@code setsid} as a wrapper exec for the session. */
final class JdkSpawner implements Spawner {

    /** Read once: the JVM's own dispositions do not change after it started ignoring a signal. */
    private final Set<Signal> ignored = IgnoredSignals.ofThisJvm();

    @Override
    public Set<Signal> ignoredInChildren() {
        return ignored;
    }

    @Override
    public Process start(ProcessBuilder pb, ChildEnvironment env) throws IOException {
        env.applyTo(pb);
        return pb.start();
    }

    @Override
    public boolean makesSessions() {
        return false;
    }

    @Override
    public String name() {
        return "jdk";
    }
}
