package io.tspm;

/** A process name that the supervisor does not know. */
public class NoSuchProcessException extends TspmException {
    private static final long serialVersionUID = 1L;

    private final String processName;

    public NoSuchProcessException(String processName, java.util.Collection<String> known) {
        super("no process named '" + processName + "'; known processes: " + known);
        this.processName = processName;
    }

    public String processName() {
        return processName;
    }
}
