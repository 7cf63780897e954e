package io.tspm;

import java.util.List;

/**
 * An instance could not be brought to {@link InstanceState#RUNNING}: it could not be spawned, it
 * exited before it was ready, it was stopped while starting, or it was not ready in time. The
 * message says which, and carries the last lines the process printed.
 */
public class ProcessStartException extends TspmException {
    private static final long serialVersionUID = 1L;

    /** How many lines of output the message carries. */
    public static final int OUTPUT_LINES_IN_MESSAGE = 20;

    private final String processName;
    private final int instanceId;
    private final String reason;
    private final List<String> recentOutput;

    /**
     * The message names the instance and the {@code reason}, then quotes the last
     * {@value #OUTPUT_LINES_IN_MESSAGE} lines of {@code recentOutput} (oldest first).
     */
    public ProcessStartException(String processName, int instanceId, String reason, List<String> recentOutput,
            Throwable cause) {
        this(message(processName, instanceId, reason, recentOutput), processName, instanceId, reason, recentOutput,
                cause);
    }

    /** For subclasses that write their own message. */
    protected ProcessStartException(String message, String processName, int instanceId, String reason,
            List<String> recentOutput, Throwable cause) {
        super(message, cause);
        this.processName = processName;
        this.instanceId = instanceId;
        this.reason = reason;
        this.recentOutput = List.copyOf(recentOutput);
    }

    private static String message(String name, int id, String reason, List<String> output) {
        StringBuilder sb = new StringBuilder()
                .append("process '").append(name).append("' instance ").append(id)
                .append(" failed to start: ").append(reason);
        if (output.isEmpty()) {
            sb.append("\n(no output)");
        } else {
            List<String> tail = output.subList(Math.max(0, output.size() - OUTPUT_LINES_IN_MESSAGE), output.size());
            sb.append("\nlast ").append(tail.size()).append(" lines of output:");
            for (String line : tail) {
                sb.append("\n  | ").append(line);
            }
        }
        return sb.toString();
    }

    /** The process (group) whose instance failed to start. */
    public String processName() {
        return processName;
    }

    /** The instance that failed to start. */
    public int instanceId() {
        return instanceId;
    }

    /** Why the start failed, without the output. */
    public String reason() {
        return reason;
    }

    /** The last lines the process printed before the failure (oldest first). */
    public List<String> recentOutput() {
        return recentOutput;
    }
}
