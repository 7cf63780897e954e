package io.tspm.internal;

import io.tspm.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group strategies that reach past one instance, as OTP's supervisors have them: ONE_FOR_ALL
 * restarts a crashed instance's siblings, REST_FOR_ONE stops the processes that depend on the
 * crashed one (dependents first) and starts them again in order once it runs again.
 */
final class GroupStrategies implements RestartCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(GroupStrategies.class);

    /** The supervisor's groups and their dependencies at one moment. */
    record View(Map<String, ManagedGroup> groups, Map<String, List<String>> dependencies) {
    }

    /** The current view, or null once the supervisor closed. */
    private final Supplier<View> view;

    GroupStrategies(Supplier<View> view) {
        this.view = view;
    }

    @Override
    public CompletableFuture<Void> restarting(ProcessSpec spec, int instanceId, CompletableFuture<Void> running) {
        View now = view.get();
        ManagedGroup group = now == null ? null : now.groups().get(spec.name());
        if (group == null) {
            return CompletableFuture.completedFuture(null);
        }
        switch (spec.restartStrategy()) {
            case ONE_FOR_ALL:
                group.restartSiblings(instanceId).exceptionally(e -> {
                    LOG.warn("ONE_FOR_ALL restart of the siblings of {}#{} failed", spec.name(), instanceId, e);
                    return null;
                });
                return CompletableFuture.completedFuture(null);
            case REST_FOR_ONE:
                return restForOne(spec.name(), now, running);
            default:
                return CompletableFuture.completedFuture(null);
        }
    }

    /** Stops the dependents now; starts them again once the crashed one runs. Completes when they have stopped. */
    private static CompletableFuture<Void> restForOne(String crashed, View now, CompletableFuture<Void> running) {
        Map<String, List<String>> deps = now.dependencies();
        Set<String> dependents = DependencyGraph.dependentsOf(crashed, deps);
        if (dependents.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // Stop the active instances of the dependents, dependents first; remember exactly those.
        Map<String, List<ManagedInstance.StrategyStop>> stopped = new ConcurrentHashMap<>();
        CompletableFuture<Void> allStopped = DependencyGraph.inOrder(dependents, deps, true, n -> {
            List<ManagedInstance.StrategyStop> stops = now.groups().get(n).stopForStrategy();
            stopped.put(n, stops);
            List<CompletableFuture<?>> done = new ArrayList<>();
            stops.forEach(s -> done.add(s.stopped()));
            return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]));
        });
        running.thenCombine(allStopped, (a, b) -> null)
                .thenCompose(x -> DependencyGraph.inOrder(dependents, deps, false,
                        n -> ManagedGroup.startForStrategy(stopped.getOrDefault(n, List.of()))))
                .exceptionally(e -> {
                    LOG.warn("REST_FOR_ONE: {} stay stopped: {}", dependents, Waits.unwrap(e).getMessage());
                    return null;
                });
        return allStopped.handle((x, e) -> null);
    }
}
