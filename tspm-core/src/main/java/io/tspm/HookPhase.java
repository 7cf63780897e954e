package io.tspm;

import java.util.Locale;

/** When a lifecycle hook runs; see {@link Hooks}. */
public enum HookPhase {
    /** Before every spawn of an instance. */
    PRE_START,
    /** Once the instance is ready. */
    POST_START,
    /** Before the stop signal. */
    PRE_STOP,
    /** After a stop, once the process tree is gone. */
    POST_STOP;

    /** Its name as configuration and output write it: {@code preStart}. */
    public String configName() {
        String[] parts = name().toLowerCase(Locale.ROOT).split("_");
        return parts[0] + Character.toUpperCase(parts[1].charAt(0)) + parts[1].substring(1);
    }
}
