package io.tspm;

import java.util.List;

/**
 * A start that lost a race: a later request (a stop of the instance, of its group or of the
 * supervisor, a scale-down, a close) came after it and won, as the last request always does. Not a
 * failure of the process; {@link #cancelledBy()} names the request that won.
 */
public class StartCancelledException extends ProcessStartException {
    private static final long serialVersionUID = 1L;

    private final String cancelledBy;

    /**
     * @param cancelledBy the request that won, in words ("a stop of the instance", "the supervisor's close")
     */
    public StartCancelledException(String processName, int instanceId, String cancelledBy, Throwable cause) {
        super("process '" + processName + "' instance " + instanceId + " did not start: " + reason(cancelledBy),
                processName, instanceId, reason(cancelledBy), List.of(), cause);
        this.cancelledBy = cancelledBy;
    }

    private static String reason(String cancelledBy) {
        return "cancelled by a later request, which won (the last request wins): " + cancelledBy;
    }

    /** The request that came later and won, in words. */
    public String cancelledBy() {
        return cancelledBy;
    }
}
