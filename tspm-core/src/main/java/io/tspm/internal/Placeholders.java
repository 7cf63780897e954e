package io.tspm.internal;

import java.util.OptionalInt;

/**
 * The placeholders a spec's command, arguments and environment values may hold, filled in per
 * instance at each spawn: {@code {port}} (the instance's port), {@code {instance}} and {@code {id}}
 * (its id), {@code {name}} (the process name). So {@code command("postgres", "-p", "{port}")} works.
 */
final class Placeholders {

    private Placeholders() {
    }

    /**
     * {@code text} with the placeholders filled in; a {@code {port}} without a port is a spawn
     * failure naming where it was found.
     */
    static String expand(String text, String process, int id, OptionalInt port, String where)
            throws LaunchPlan.SpawnFailure {
        if (text.indexOf('{') < 0) {
            return text;
        }
        String s = text.replace("{instance}", Integer.toString(id)).replace("{id}", Integer.toString(id))
                .replace("{name}", process);
        if (s.contains("{port}")) {
            if (port.isEmpty()) {
                throw new LaunchPlan.SpawnFailure(where + " uses {port}, but process '" + process
                        + "' has no basePort: set one (basePort(...)) or leave {port} out");
            }
            s = s.replace("{port}", Integer.toString(port.getAsInt()));
        }
        return s;
    }
}
