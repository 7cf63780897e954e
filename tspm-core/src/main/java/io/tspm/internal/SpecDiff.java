package io.tspm.internal;

import io.tspm.ApplyPlan;
import io.tspm.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which settings of a spec differ, and what that asks of its running processes: nothing (labels,
 * namespace, autostart, dependencies, traffic), a scale (the instance count), or new processes (everything
 * a process is started with or supervised by).
 */
final class SpecDiff {

    private record Setting(String name, Function<ProcessSpec, Object> value) {
    }

    /** Settings no running process needs to know. */
    private static final List<Setting> METADATA = List.of(
            new Setting("labels", ProcessSpec::labels),
            new Setting("namespace", ProcessSpec::namespace),
            new Setting("autostart", ProcessSpec::autostart),
            new Setting("dependencies", ProcessSpec::dependencies),
            new Setting("traffic", ProcessSpec::traffic));

    /** Settings a process is started with or supervised by: a change needs new processes. */
    private static final List<Setting> PROCESS = List.of(
            new Setting("program", ProcessSpec::program),
            new Setting("args", ProcessSpec::args),
            new Setting("workingDirectory", ProcessSpec::workingDirectory),
            new Setting("env", ProcessSpec::env),
            new Setting("instanceVar", ProcessSpec::instanceVar),
            new Setting("basePort", ProcessSpec::basePort),
            new Setting("freePorts", ProcessSpec::freePorts),
            new Setting("portVar", ProcessSpec::portVar),
            new Setting("nice", ProcessSpec::nice),
            new Setting("user", s -> s.user().orElse("") + ":" + s.group().orElse("")),
            new Setting("stop", ProcessSpec::stop),
            new Setting("restartPolicy", ProcessSpec::restartPolicy),
            new Setting("restartStrategy", ProcessSpec::restartStrategy),
            new Setting("readyAfter", ProcessSpec::readyAfter),
            new Setting("exitHistorySize", ProcessSpec::exitHistorySize),
            new Setting("output", ProcessSpec::output),
            new Setting("health", ProcessSpec::health),
            new Setting("memory", ProcessSpec::memory),
            new Setting("cronRestart", ProcessSpec::cronRestart),
            new Setting("watch", ProcessSpec::watch),
            new Setting("reload", ProcessSpec::reload),
            new Setting("hooks", ProcessSpec::hooks),
            new Setting("oneShot", ProcessSpec::oneShot));

    private SpecDiff() {
    }

    /** The change that brings {@code old} to {@code now}. */
    static ApplyPlan.Change of(ProcessSpec old, ProcessSpec now) {
        if (old.equals(now)) {
            return new ApplyPlan.Change(now.name(), ApplyPlan.Action.UNCHANGED, List.of(), "");
        }
        List<String> metadata = differing(METADATA, old, now);
        List<String> process = differing(PROCESS, old, now);
        boolean explicitSpan = old.instanceSettings().reloadPortSpanSet() || now.instanceSettings().reloadPortSpanSet();
        if (explicitSpan && old.reloadPortSpan() != now.reloadPortSpan()) {
            process.add("reloadPortSpan");
        }
        boolean scaled = old.instances() != now.instances();
        List<String> changed = new ArrayList<>(process);
        changed.addAll(metadata);
        if (scaled) {
            changed.add("instances");
        }
        String count = scaled ? old.instances() + " -> " + now.instances() + " instances" : "";
        if (!process.isEmpty()) {
            String detail = String.join(", ", process) + (scaled ? "; " + count : "");
            return new ApplyPlan.Change(now.name(), ApplyPlan.Action.RELOAD, changed, detail);
        }
        if (scaled) {
            return new ApplyPlan.Change(now.name(), ApplyPlan.Action.SCALE, changed, count);
        }
        return new ApplyPlan.Change(now.name(), ApplyPlan.Action.UPDATE, changed, String.join(", ", metadata));
    }

    private static List<String> differing(List<Setting> settings, ProcessSpec old, ProcessSpec now) {
        List<String> out = new ArrayList<>();
        for (Setting s : settings) {
            if (!Objects.equals(s.value().apply(old), s.value().apply(now))) {
                out.add(s.name());
            }
        }
        return out;
    }
}
