package io.tspm.config.internal;

import io.tspm.spi.LoadBalancerType;
import io.tspm.spi.LoadBalancerTypeProvider;
import io.tspm.spi.ProbeType;
import io.tspm.spi.ProbeTypeProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The probe types and load-balancing strategies configuration knows by name: every
 * {@link ProbeTypeProvider} and {@link LoadBalancerTypeProvider} {@link ServiceLoader} finds, the
 * built-ins of tspm-healthcheck among them, and a third party's on the class path the same way.
 */
public final class TypeRegistry {

    private final Map<String, ProbeType> probes = new LinkedHashMap<>();
    private final List<String> probeNames = new ArrayList<>();
    private final Map<String, LoadBalancerType> balancers = new LinkedHashMap<>();
    private final List<String> balancerNames = new ArrayList<>();

    /** The types of these providers. */
    public TypeRegistry(Iterable<ProbeTypeProvider> probeProviders, Iterable<LoadBalancerTypeProvider> lbProviders) {
        for (ProbeTypeProvider p : probeProviders) {
            for (ProbeType t : p.probeTypes()) {
                if (probes.putIfAbsent(t.name(), t) == null) {
                    probeNames.add(t.name());
                }
                t.aliases().forEach(a -> probes.putIfAbsent(a, t));
            }
        }
        for (LoadBalancerTypeProvider p : lbProviders) {
            for (LoadBalancerType t : p.loadBalancerTypes()) {
                if (balancers.putIfAbsent(t.name(), t) == null) {
                    balancerNames.add(t.name());
                }
                t.aliases().forEach(a -> balancers.putIfAbsent(a, t));
            }
        }
    }

    /** The types found through {@link ServiceLoader} by this module's class loader. */
    public static TypeRegistry discover() {
        ClassLoader loader = TypeRegistry.class.getClassLoader();
        return new TypeRegistry(ServiceLoader.load(ProbeTypeProvider.class, loader),
                ServiceLoader.load(LoadBalancerTypeProvider.class, loader));
    }

    /** The types {@link #discover()} finds, looked up once. */
    public static TypeRegistry shared() {
        return Shared.REGISTRY;
    }

    /** Holds the shared registry, made on first use. */
    private static final class Shared {
        static final TypeRegistry REGISTRY = discover();
    }

    /** The probe type named {@code name} (or an alias), or null. */
    public ProbeType probeType(String name) {
        return probes.get(name);
    }

    /** The probe type names, without aliases, in the order found. */
    public List<String> probeTypeNames() {
        return List.copyOf(probeNames);
    }

    /** Every probe type, once each. */
    public List<ProbeType> probeTypes() {
        List<ProbeType> out = new ArrayList<>();
        probeNames.forEach(n -> out.add(probes.get(n)));
        return out;
    }

    /** The strategy named {@code name}, or null. */
    public LoadBalancerType loadBalancerType(String name) {
        return balancers.get(name);
    }

    /** The strategy names found, without aliases. */
    public List<String> loadBalancerTypeNames() {
        return List.copyOf(balancerNames);
    }
}
