package io.tspm;

import static io.tspm.InstanceState.BACKOFF;
import static io.tspm.InstanceState.EXITED;
import static io.tspm.InstanceState.FAILED;
import static io.tspm.InstanceState.RUNNING;
import static io.tspm.InstanceState.STARTING;
import static io.tspm.InstanceState.STOPPED;
import static io.tspm.InstanceState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.ProcessExited;
import io.tspm.event.ProcessFailed;
import io.tspm.event.ProcessReady;
import io.tspm.event.ProcessStarting;
import io.tspm.event.ProcessStopped;
import io.tspm.event.ProcessStopping;
import io.tspm.event.RestartScheduled;
import io.tspm.event.TransitionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceStateTest {

    @Test
    void transitionTableIsExactlyTheDocumentedOne() {
        assertThat(STOPPED.next()).containsExactlyInAnyOrder(STARTING);
        assertThat(STARTING.next()).containsExactlyInAnyOrder(RUNNING, EXITED, FAILED, STOPPING, STOPPED);
        assertThat(RUNNING.next()).containsExactlyInAnyOrder(EXITED, STOPPING);
        assertThat(STOPPING.next()).containsExactlyInAnyOrder(STOPPED);
        assertThat(EXITED.next()).containsExactlyInAnyOrder(STARTING, BACKOFF, FAILED, STOPPED);
        assertThat(BACKOFF.next()).containsExactlyInAnyOrder(STARTING, STOPPED);
        assertThat(FAILED.next()).containsExactlyInAnyOrder(STARTING);
    }

    @Test
    void noStateMovesToItselfAndEveryStateIsReachable() {
        EnumSet<InstanceState> reached = EnumSet.of(STOPPED);
        for (InstanceState s : InstanceState.values()) {
            assertThat(s.canMoveTo(s)).as(s.name()).isFalse();
            reached.addAll(s.next());
        }
        assertThat(reached).containsExactlyInAnyOrder(InstanceState.values());
    }

    @Test
    void eachTransitionEventNamesTheStateItEnters() {
        Instant t = Instant.EPOCH;
        List<TransitionEvent> events = List.of(
                new ProcessStarting(t, "p", 0, 1), new ProcessReady(t, "p", 0, 1),
                new ProcessExited(t, "p", 0, 1, new ExitStatus(1), Duration.ZERO),
                new RestartScheduled(t, "p", 0, 1, Duration.ZERO), new ProcessStopping(t, "p", 0, 1, Signal.TERM),
                new ProcessStopped(t, "p", 0, java.util.OptionalLong.empty(), StopOutcome.GRACEFUL, Optional.empty()), new ProcessFailed(t, "p", 0, "x"));
        assertThat(events).extracting(TransitionEvent::state)
                .containsExactly(STARTING, RUNNING, EXITED, BACKOFF, STOPPING, STOPPED, FAILED);
    }

    @Test
    void eventsWithOptionalFieldsReadPlainly() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(new ProcessStopped(t, "web", 0, java.util.OptionalLong.of(123), StopOutcome.GRACEFUL,
                Optional.of(new ExitStatus(0)))).hasToString("ProcessStopped[time=2026-01-01T00:00:00Z, process=web,"
                        + " instanceId=0, pid=123, outcome=GRACEFUL, exit=exit code 0]");
        assertThat(new ProcessStopped(t, "web", 1, java.util.OptionalLong.empty(), StopOutcome.GRACEFUL,
                Optional.empty())).hasToString("ProcessStopped[time=2026-01-01T00:00:00Z, process=web, instanceId=1,"
                        + " pid=none, outcome=GRACEFUL, exit=none]");
        assertThat(new io.tspm.event.InstanceReplaced(t, "web", 0, java.util.OptionalLong.of(1), 2))
                .hasToString("InstanceReplaced[time=2026-01-01T00:00:00Z, process=web, instanceId=0, oldPid=1, newPid=2]");
    }
}
