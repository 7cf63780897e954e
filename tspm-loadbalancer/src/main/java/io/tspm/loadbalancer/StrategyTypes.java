package io.tspm.loadbalancer;

import io.tspm.spi.LoadBalancer;
import io.tspm.spi.LoadBalancerType;
import io.tspm.spi.LoadBalancerTypeProvider;
import io.tspm.spi.SettingKey;
import io.tspm.spi.TypeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in strategies as {@link LoadBalancerType}s, so configuration names them
 * ({@code lbStrategy: least-connections}) and writes them back: every name of
 * {@link Strategies#names()}, and {@code slow-start} with a {@code window} and the
 * {@code strategy} it ramps. Found through {@link java.util.ServiceLoader}.
 */
public final class StrategyTypes implements LoadBalancerTypeProvider {

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public StrategyTypes() {
    }

    @Override
    public List<LoadBalancerType> loadBalancerTypes() {
        List<LoadBalancerType> out = new ArrayList<>();
        for (String name : Strategies.names()) {
            out.add(name.equals("slow-start") ? slowStart() : plain(name));
        }
        return out;
    }

    private static LoadBalancerType plain(String name) {
        return new LoadBalancerType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> aliases() {
                return Set.of(camel(name));
            }

            @Override
            public LoadBalancer create(TypeSettings settings) {
                return Strategies.byName(name);
            }

            @Override
            public Optional<Map<String, Object>> settingsOf(LoadBalancer balancer) {
                return balancer.equals(Strategies.byName(name)) ? Optional.of(Map.of()) : Optional.empty();
            }
        };
    }

    private static LoadBalancerType slowStart() {
        return new LoadBalancerType() {
            @Override
            public String name() {
                return "slow-start";
            }

            @Override
            public Set<String> aliases() {
                return Set.of("slowStart");
            }

            @Override
            public List<SettingKey> keys() {
                return List.of(SettingKey.of("window", SettingKey.Kind.DURATION, "how long a new instance's share"
                                + " ramps up (default 30s)"),
                        SettingKey.of("strategy", SettingKey.Kind.STRING, "the strategy it ramps (default round-robin)"));
            }

            @Override
            public LoadBalancer create(TypeSettings settings) {
                Duration window = settings.duration("window").orElse(Strategies.DEFAULT_SLOW_START_WINDOW);
                if (window.isNegative() || window.isZero()) {
                    throw settings.invalid("window", "a positive duration");
                }
                String inner = settings.string("strategy").orElse("round-robin");
                if (inner.equals("slow-start")) {
                    throw settings.invalid("strategy", "a strategy other than slow-start");
                }
                LoadBalancer ramped;
                try {
                    ramped = Strategies.byName(inner);
                } catch (IllegalArgumentException e) {
                    throw settings.invalid("strategy", e.getMessage());
                }
                return Strategies.slowStart(ramped, window);
            }

            @Override
            public Optional<Map<String, Object>> settingsOf(LoadBalancer balancer) {
                return Optional.empty(); // its clock and random source are not settings: written by name only
            }
        };
    }

    private static String camel(String kebab) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
