package io.tspm;

/** The three roles a probe plays, with Kubernetes' meaning. */
public enum ProbeKind {
    /** Gates the other probes until the process has started; failing it fails the start. */
    STARTUP,
    /** Decides whether the instance is ready: RUNNING, and picked by load balancing. */
    READINESS,
    /** Failing it past its threshold restarts the instance. */
    LIVENESS;

    /** The role in words: {@code startup}, {@code readiness}, {@code liveness}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
