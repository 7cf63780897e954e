package io.tspm.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Binds {@code lbStrategy}. ProcessSpec does not take a load balancer yet (the load-balancing
 * fields are on their way into tspm-core): until they are, round-robin, the core's default when
 * a spec names none, is the one strategy a file can name, and any other name is an error that
 * lists what is known. Once ProcessSpec.loadBalancer exists, this binds every strategy the
 * {@link TypeRegistry} finds.
 */
final class LoadBalancing {

    private LoadBalancing() {
    }

    static void bind(SpecDraft draft, Node node, String path, Values values, String name) {
        String normal = name.toLowerCase(Locale.ROOT).replace("_", "-").replace("roundrobin", "round-robin");
        if (normal.equals(ProcessKeys.DEFAULT_STRATEGY)) {
            return; // the core's default: nothing to set
        }
        List<String> known = new ArrayList<>();
        known.add(ProcessKeys.DEFAULT_STRATEGY);
        known.addAll(TypeRegistry.shared().loadBalancerTypeNames());
        if (TypeRegistry.shared().loadBalancerType(name) != null) {
            values.problems().error(node.mark(), path, "strategy '" + name + "' is known, but this build's"
                    + " ProcessSpec takes no load balancer yet; use " + ProcessKeys.DEFAULT_STRATEGY);
            return;
        }
        String near = Suggestions.nearest(name, known);
        values.problems().error(node.mark(), path, "unknown strategy '" + name + "', expected one of "
                + String.join(", ", known) + (near == null ? "" : "; did you mean '" + near + "'?"));
    }
}
