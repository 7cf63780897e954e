package io.tspm.internal;

import io.tspm.ProcessSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The fixed ports of a supervisor's processes ({@code basePort .. basePort + instances - 1}) must
 * not overlap: two instances on one port means one of them cannot listen, found only when it
 * fails to, and a readiness probe may even pass against the other process.
 */
final class PortRanges {

    private PortRanges() {
    }

    /** Throws naming the first two processes whose fixed port ranges overlap. */
    static void check(Collection<ProcessSpec> specs) {
        List<ProcessSpec> fixed = new ArrayList<>();
        for (ProcessSpec s : specs) {
            if (s.basePort().isPresent() && s.instances() > 0) {
                fixed.add(s);
            }
        }
        fixed.sort(Comparator.comparingInt(s -> s.basePort().getAsInt()));
        ProcessSpec reaching = null; // the range so far that reaches highest
        for (ProcessSpec s : fixed) {
            if (reaching != null && last(reaching) >= s.basePort().getAsInt()) {
                throw new IllegalArgumentException("process '" + s.name() + "' has ports " + range(s) + ", which overlap"
                        + " those of '" + reaching.name() + "' (" + range(reaching) + "): give one a basePort past"
                        + " the other's last port, or freePorts()");
            }
            if (reaching == null || last(s) > last(reaching)) {
                reaching = s;
            }
        }
    }

    private static int last(ProcessSpec s) {
        return s.basePort().getAsInt() + s.instances() - 1;
    }

    private static String range(ProcessSpec s) {
        return s.instances() == 1 ? Integer.toString(s.basePort().getAsInt()) : s.basePort().getAsInt() + ".." + last(s);
    }
}
