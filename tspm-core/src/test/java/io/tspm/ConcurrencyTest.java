package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.event.ProcessSpawned;
import io.tspm.event.TransitionEvent;
import io.tspm.testsupport.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void eightThreadsHammeringOneGroupEndConsistentWithoutLeaks() throws Exception {
        EventRecorder events = new EventRecorder();
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("target", p -> p.command("sleep", "60").instances(3).captureOutput(false)
                        .stopTimeout(Duration.ofSeconds(2)))
                .build()) {
            s.start();
            ProcessGroup group = s.group("target");
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        while (System.nanoTime() < end) {
                            ProcessInstance one = group.instance(r.nextInt(3));
                            try {
                                switch (r.nextInt(6)) {
                                    case 0: group.start(); break;
                                    case 1: group.stop(); break;
                                    case 2: group.restart(); break;
                                    case 3: one.start(); break;
                                    case 4: one.stop(); break;
                                    default: one.restart(); break;
                                }
                            } catch (StartCancelledException e) {
                                // A start racing a stop is told so, and which request won: expected.
                                assertThat(e.cancelledBy()).matches("a stop of (target#[0-2]|process 'target')");
                            }
                        }
                    } catch (Throwable e) {
                        unexpected.compareAndSet(null, e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(unexpected.get()).isNull();

            // Quiescent: every instance rests in RUNNING or STOPPED, with a live pid exactly when RUNNING.
            await().until(() -> group.snapshot().stream().allMatch(
                    i -> i.state() == InstanceState.RUNNING || i.state() == InstanceState.STOPPED));
            for (InstanceSnapshot i : group.snapshot()) {
                if (i.state() == InstanceState.RUNNING) {
                    assertThat(ProcessHandle.of(i.pid().getAsLong())).get().matches(ProcessHandle::isAlive);
                } else {
                    assertThat(i.pid()).isEmpty();
                }
            }
            // The live children are exactly the RUNNING instances' pids (nothing leaked meanwhile).
            List<Long> running = group.snapshot().stream().filter(i -> i.pid().isPresent())
                    .map(i -> i.pid().getAsLong()).toList();
            assertThat(ProcessHandle.current().children().filter(h -> h.isAlive()
                            && h.info().command().orElse("").endsWith("sleep")).map(ProcessHandle::pid))
                    .containsExactlyInAnyOrderElementsOf(running);

            group.stop();
            assertThat(group.snapshot()).allMatch(i -> i.state() == InstanceState.STOPPED);
        }
        // Every instance's event stream follows the transition table.
        for (int id = 0; id < 3; id++) {
            InstanceState state = InstanceState.STOPPED;
            int transitions = 0;
            for (var e : events.all()) {
                if (e instanceof TransitionEvent && ((TransitionEvent) e).instanceId() == id) {
                    TransitionEvent te = (TransitionEvent) e;
                    assertThat(state.canMoveTo(te.state())).as("#%d %s -> %s", id, state, te.state()).isTrue();
                    state = te.state();
                    transitions++;
                }
            }
            assertThat(state).isEqualTo(InstanceState.STOPPED);
            assertThat(transitions).isGreaterThan(10);
        }
        assertThat(events.of(ProcessSpawned.class)).hasSizeGreaterThan(10);
    }
}
