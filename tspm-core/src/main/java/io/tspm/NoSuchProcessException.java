package io.tspm;

/** A process name that the supervisor does not know. */
public class NoSuchProcessException extends TspmException {
    private static final long serialVersionUID = 1L;

    private final String processName;

    /** For {@code processName}; the message lists the {@code known} names, to spot a typo. */
    public NoSuchProcessException(String processName, java.util.Collection<String> known) {
        super("no process named '" + processName + "'; known processes: " + known);
        this.processName = processName;
    }

    /** The name that was asked for. */
    public String processName() {
        return processName;
    }
}
