package io.tspm.config.internal;

import io.tspm.LogSettings;
import io.tspm.ProcessSpec;
import io.tspm.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One process while its mapping is bound: the spec builder, and what can only be applied once
 * every key is read (the restart policy, which starts from NEVER for a one-shot; the log
 * settings; the profile's env; the seed's healthCheck, which needs to know the port).
 */
public final class SpecDraft {

    final ProcessSpec.Builder spec;
    final Node.MapNode node;
    final String path;
    final ProbeBinder probes;
    final List<Consumer<RestartPolicy.Builder>> restart = new ArrayList<>();
    Integer maxRestarts;
    Duration restartWindow;
    boolean unlimitedRestarts;
    LogSettings.Builder logs;
    boolean oneShot;
    boolean basePort;
    String user;
    String group;
    Node healthCheck;
    String healthCheckPath;
    final Map<String, Node> profileEnvs = new LinkedHashMap<>();
    /** The selected profile's mapping and its path, bound over the process's own keys; or null. */
    Node.MapNode profile;
    String profilePath;

    SpecDraft(ProcessSpec.Builder spec, Node.MapNode node, String path, ProbeBinder probes) {
        this.spec = spec;
        this.node = node;
        this.path = path;
        this.probes = probes;
    }

    /** The node that set {@code key}: the selected profile's, else the process's own, else the process. */
    Node at(String key) {
        Node n = profile == null ? null : profile.get(key);
        if (n == null) {
            n = node.get(key);
        }
        return n == null ? node : n;
    }

    /** The key path of {@code key}, in the profile when the profile set it. */
    String pathOf(String key) {
        return (profile != null && profile.get(key) != null ? profilePath : path) + "." + key;
    }

    /** The log settings builder, made on first use. */
    LogSettings.Builder logs() {
        if (logs == null) {
            logs = LogSettings.builder();
        }
        return logs;
    }

    /** Applies the restart settings, if any were given. */
    void applyRestart() {
        if (restart.isEmpty() && maxRestarts == null && restartWindow == null && !unlimitedRestarts) {
            return;
        }
        RestartPolicy base = oneShot ? RestartPolicy.never() : RestartPolicy.defaults();
        RestartPolicy.Builder b = base.toBuilder();
        restart.forEach(c -> c.accept(b));
        if (unlimitedRestarts) {
            b.unlimitedRestarts();
        } else if (maxRestarts != null || restartWindow != null) {
            b.maxRestarts(maxRestarts != null ? maxRestarts : base.maxRestarts(),
                    restartWindow != null ? restartWindow : base.window());
        }
        spec.restartPolicy(b.build());
    }
}
