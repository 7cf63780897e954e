package io.tspm.internal;

import java.io.IOException;

/** The JDK's launch path: {@link ProcessBuilder#start}, with {@code setsid} as a wrapper exec for the session. */
final class JdkSpawner implements Spawner {

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
