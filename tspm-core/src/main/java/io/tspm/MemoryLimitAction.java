package io.tspm;

/** What happens to an instance whose process tree stays over its memory limit. */
public enum MemoryLimitAction {
    /** Stop it and start it again (a crash, under the restart policy). */
    RESTART,
    /**
     * Replace it without downtime: a replacement starts on the slot's other port and takes over once
     * ready (as {@link ProcessGroup#reload()} does for one instance), then the old one is stopped.
     * Counted as a crash and within the crash-loop limit; past the limit it is restarted instead,
     * and the policy gives up.
     */
    RELOAD
}
