package io.tspm;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link Supervisor#apply(List)} does, or did, to bring a supervisor to a new list of specs:
 * one change per process, in the order they are carried out. Its {@code toString} is the plan as
 * a person reads it, one line per process ({@code + web: added, 2 instances}).
 *
 * @param changes one per process of the old and the new list
 */
public record ApplyPlan(List<Change> changes) {

    /** What happens to one process. */
    public enum Action {
        /** New: added (and started when the supervisor runs and it is autostart). */
        ADD,
        /** Gone from the list: stopped and removed. */
        REMOVE,
        /** Only the instance count changed: scaled, nothing else touched. */
        SCALE,
        /** A change its processes need: replaced by a rolling reload with the new spec. */
        RELOAD,
        /** A change no process needs (labels, namespace, autostart, dependencies): taken as it is. */
        UPDATE,
        /** Equal: left alone. */
        UNCHANGED
    }

    /**
     * @param process the process name
     * @param action  what happens to it
     * @param changed the settings that differ, by name (empty for ADD, REMOVE and UNCHANGED)
     * @param detail  the change in words ("2 -> 4 instances", "3 instances")
     */
    public record Change(String process, Action action, List<String> changed, String detail) {

        /** Copies the list. */
        public Change {
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(action, "action");
            changed = List.copyOf(changed);
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            String mark;
            switch (action) {
                case ADD:
                    mark = "+";
                    break;
                case REMOVE:
                    mark = "-";
                    break;
                case UNCHANGED:
                    mark = "=";
                    break;
                default:
                    mark = "~";
                    break;
            }
            return mark + " " + process + ": " + action.name().toLowerCase(Locale.ROOT)
                    + (detail.isEmpty() ? "" : ", " + detail);
        }
    }

    /** Copies the list. */
    public ApplyPlan {
        changes = List.copyOf(changes);
    }

    /** The changes of one kind. */
    public List<Change> of(Action action) {
        return changes.stream().filter(c -> c.action() == action).toList();
    }

    /** Whether nothing changes. */
    public boolean isEmpty() {
        return changes.stream().allMatch(c -> c.action() == Action.UNCHANGED);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
