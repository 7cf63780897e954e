package io.tspm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One exit of an instance's OS process, as kept in its bounded history
 * ({@link ProcessInstance#exitHistory()}).
 *
 * @param time        when the exit was seen, by the supervisor's clock
 * @param pid         the process that exited
 * @param status      how it ended
 * @param uptime      how long it ran
 * @param requested   whether the supervisor asked for it (stop, restart)
 * @param decision    what followed
 * @param delay       the restart delay when {@code decision} is RESTART, else zero
 * @param reason      why, in words, when there is more to say (a failed start, a crash loop)
 * @param lastOutput  the last lines the instance printed before the exit, oldest first
 */
public record ExitRecord(
        Instant time,
        long pid,
        ExitStatus status,
        Duration uptime,
        boolean requested,
        RestartDecision decision,
        Duration delay,
        Optional<String> reason,
        List<String> lastOutput) {

    public ExitRecord {
        lastOutput = List.copyOf(lastOutput);
    }

    /**
     * Whether this exit counts as a crash: not asked for, and either not exit code 0 or a failed
     * start (a reason is given), whatever the policy then decided.
     */
    public boolean isCrash() {
        return !requested && (status.exitValue() != 0 || reason.isPresent());
    }

    /** One line a person reads: {@code pid 4242 exit code 1 after 340 ms (a crash) at ...: restart in 1 s; why}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("pid ").append(pid).append(' ').append(status).append(" after ")
                .append(Human.duration(uptime)).append(requested ? " (asked for)" : isCrash() ? " (a crash)" : "")
                .append(" at ").append(time).append(": ");
        switch (decision) {
            case RESTART:
                sb.append("restart in ").append(Human.duration(delay));
                break;
            case STAY_EXITED:
                sb.append("not restarted");
                break;
            case GIVE_UP:
                sb.append("given up");
                break;
            default:
                sb.append("stopped as asked");
                break;
        }
        reason.ifPresent(r -> sb.append("; ").append(r));
        if (!lastOutput.isEmpty()) {
            sb.append(" [").append(lastOutput.size()).append(lastOutput.size() == 1 ? " line" : " lines")
                    .append(" of output]");
        }
        return sb.toString();
    }
}
