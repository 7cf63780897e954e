package io.tspm;

/** A process name that the supervisor does not know. */
public class NoSuchProcessException extends TspmException {
    private static final long serialVersionUID = 1L;

    private final String processName;

    /** For {@code processName}; the message names the nearest of the {@code known} names and lists them, to spot a typo. */
    public NoSuchProcessException(String processName, java.util.Collection<String> known) {
        super("no process named '" + processName + "'" + Human.didYouMean(processName, known) + " (known processes: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        this.processName = processName;
    }

    /** The name that was asked for. */
    public String processName() {
        return processName;
    }
}
