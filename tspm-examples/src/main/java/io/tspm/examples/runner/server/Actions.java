package io.tspm.examples.runner.server;

import io.tspm.LabelSelector;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
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
                return "started " + what(t);
            case "stop":
                switch (t.kind()) {
                    case ALL -> s.stop();
                    case NAMESPACE -> s.stopNamespace(t.word());
                    case SELECTOR -> s.stop(LabelSelector.parse(t.word()));
                    default -> t.groups().forEach(ProcessGroup::stop);
                }
                return "stopped " + what(t);
            case "restart":
                switch (t.kind()) {
                    case ALL -> s.restartAll();
                    case NAMESPACE -> s.restartNamespace(t.word());
                    case SELECTOR -> s.restart(LabelSelector.parse(t.word()));
                    default -> t.groups().forEach(ProcessGroup::restart);
                }
                return "restarted " + what(t);
            case "reload":
                t.groups().forEach(ProcessGroup::reload);
                return "reloaded " + what(t) + " without downtime";
            case "reset":
                t.groups().forEach(g -> s.reset(g.name()));
                return "reset the restart counts of " + what(t);
            default:
                throw new ApiException(404, "no action '" + action + "'; the actions are start, stop, restart,"
                        + " reload, reset, scale, flush, reloadLogs");
        }
    }

    /** {@code web}, or {@code namespace jobs (worker, cron)}: what a target named, with its processes when it named more than one. */
    private static String what(Targets t) {
        return t.kind() == Targets.Kind.PROCESS ? t.description()
                : t.description() + " (" + String.join(", ", t.names()) + ")";
    }

    /**
     * Starts {@code action} (start, stop or restart) on one instance and returns at once, in words
     * ({@code restarting web#1}): the live table, {@code monit} and the web page follow the rest
     * through events.
     */
    static String onInstance(Supervisor s, String process, int id, String action) {
        ProcessGroup group = Targets.process(s, process);
        ProcessInstance instance = group.instances().stream().filter(i -> i.id() == id).findFirst()
                .orElseThrow(() -> new ApiException(404, group.name() + " has no instance " + id + " (it has "
                        + group.instances().size() + ")"));
        switch (action) {
            case "start":
                instance.startAsync();
                return "starting " + group.name() + "#" + id;
            case "stop":
                instance.stopAsync();
                return "stopping " + group.name() + "#" + id;
            case "restart":
                instance.restartAsync();
                return "restarting " + group.name() + "#" + id;
            default:
                throw new ApiException(404, "no action '" + action + "' on one instance; there are start, stop,"
                        + " restart");
        }
    }
}
