package io.tspm.examples.runner.server;

import io.tspm.LabelSelector;
import io.tspm.ProcessGroup;
import io.tspm.Supervisor;

/**
 * The actions {@code start}, {@code stop}, {@code restart}, {@code reload} and {@code reset} on a
 * target, each through the supervisor's own call for that kind of target (so dependencies are
 * honoured: {@code stop all} stops dependents first). Blocking calls wait on the API's thread, within
 * the supervisor's start timeout; the supervisor's threads never wait for a client.
 */
final class Actions {

    private Actions() {
    }

    /** Runs {@code action} on {@code t}; returns what was done, in words. */
    static String run(Supervisor s, Targets t, String action) {
        switch (action) {
            case "start":
                switch (t.kind()) {
                    case ALL -> s.start();
                    case NAMESPACE -> s.startNamespace(t.word());
                    case SELECTOR -> s.start(LabelSelector.parse(t.word()));
                    default -> t.groups().forEach(ProcessGroup::start);
                }
                return "started " + t.description() + " (" + String.join(", ", t.names()) + ")";
            case "stop":
                switch (t.kind()) {
                    case ALL -> s.stop();
                    case NAMESPACE -> s.stopNamespace(t.word());
                    case SELECTOR -> s.stop(LabelSelector.parse(t.word()));
                    default -> t.groups().forEach(ProcessGroup::stop);
                }
                return "stopped " + t.description() + " (" + String.join(", ", t.names()) + ")";
            case "restart":
                switch (t.kind()) {
                    case ALL -> s.restartAll();
                    case NAMESPACE -> s.restartNamespace(t.word());
                    case SELECTOR -> s.restart(LabelSelector.parse(t.word()));
                    default -> t.groups().forEach(ProcessGroup::restart);
                }
                return "restarted " + t.description() + " (" + String.join(", ", t.names()) + ")";
            case "reload":
                t.groups().forEach(ProcessGroup::reload);
                return "reloaded " + t.description() + " without downtime (" + String.join(", ", t.names()) + ")";
            case "reset":
                t.groups().forEach(g -> s.reset(g.name()));
                return "reset the restart counts of " + t.description() + " (" + String.join(", ", t.names()) + ")";
            default:
                throw new ApiException(404, "no action '" + action + "'; the actions are start, stop, restart,"
                        + " reload, reset, scale, flush, reloadLogs");
        }
    }
}
