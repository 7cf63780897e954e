package io.tspm.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A load-balancing strategy that configuration names ({@code lbStrategy: least-connections}): it
 * creates the {@link LoadBalancer} from its settings and, for writing a spec back out, turns one
 * it made into settings again. Types come from {@link LoadBalancerTypeProvider}s found through
 * {@link java.util.ServiceLoader}.
 */
public interface LoadBalancerType {

    /** The strategy name as a file writes it ({@code round-robin}). */
    String name();

    /** Other names a file may use for it ({@code roundRobin}); none by default. */
    default Set<String> aliases() {
        return Set.of();
    }

    /** The keys its settings may have; none by default. */
    default List<SettingKey> keys() {
        return List.of();
    }

    /** A load balancer from {@code settings}; a wrong setting is an {@link InvalidSettingException}. */
    LoadBalancer create(TypeSettings settings);

    /** The settings that create {@code balancer} again, when this type made it; else empty. */
    default Optional<Map<String, Object>> settingsOf(LoadBalancer balancer) {
        return Optional.empty();
    }
}
