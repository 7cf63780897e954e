package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.event.ReloadFailed;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import io.tspm.testsupport.EventRecorder;
import io.tspm.testsupport.HttpMain;
import io.tspm.testsupport.Scripts;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling reloads of a real 3-instance HTTP cluster under a client that never stops asking. */
class ReloadTest {

    @TempDir
    Path dir;

    private final EventRecorder events = new EventRecorder();

    private static final Probe LISTENING = Probe.blocking("log line 'listening'",
            ctx -> ctx.countMatches(Pattern.compile("^listening")) > 0 ? ProbeResult.success("listening")
                    : ProbeResult.failure("not listening yet"));

    private Supervisor cluster(Path broken, int basePort) {
        return Supervisor.builder().addListener(events)
                .addProcess("web", p -> p.command(Scripts.java(HttpMain.class)).instances(3).basePort(basePort)
                        .env("BROKEN", broken.toString())
                        .readinessProbe(ProbeSettings.builder(LISTENING).period(Duration.ofMillis(50)).build())
                        .reloadDrain(Duration.ofMillis(500)).reloadTimeout(Duration.ofSeconds(3)))
                .build();
    }

    private static String get(int port) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRollingReloadReplacesEveryInstanceWhileNoRequestFails() throws Exception {
        try (Supervisor s = cluster(dir.resolve("never"), 24100)) {
            s.start();
            ProcessGroup web = s.group("web");
            ProcessInstance held = web.instance(0); // a handle taken before the reload
            long oldPid0 = held.pid().getAsLong();
            java.util.List<OutputLine> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            held.addLineListener(heard::add);
            Set<Long> before = ConcurrentHashMap.newKeySet();
            web.snapshot().forEach(i -> before.add(i.pid().getAsLong()));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            Map<String, Throwable> failures = new ConcurrentHashMap<>();
            Set<String> answers = ConcurrentHashMap.newKeySet();
            Thread client = new Thread(() -> {
                while (running.get()) {
                    for (int id = 0; id < 3; id++) {
                        int port = web.instance(id).port().getAsInt();
                        try {
                            answers.add(get(port));
                            ok.incrementAndGet();
                        } catch (Exception e) {
                            failures.put("#" + id + " port " + port + " after " + ok.get(), e);
                        }
                    }
                }
            });
            client.start();
            await().until(() -> ok.get() > 30);
            web.reload();
            int afterReload = ok.get();
            await().until(() -> ok.get() > afterReload + 30);
            running.set(false);
            client.join();

            assertThat(failures).as("requests that failed during the reload").isEmpty();
            // Every instance was replaced: new pids, on the other port lane, and they answered.
            for (InstanceSnapshot i : web.snapshot()) {
                assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
                assertThat(before).doesNotContain(i.pid().getAsLong());
                assertThat(web.instance(i.instanceId()).port()).hasValue(24100 + 3 + i.instanceId());
                assertThat(answers).contains("instance " + i.instanceId() + " pid " + i.pid().getAsLong());
            }
            before.forEach(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
            // The slot keeps its history across the replacement: the old one's stop is in it.
            await().until(() -> web.instance(0).exitHistory().stream().anyMatch(r -> before.contains(r.pid()) && r.requested()));
            // The handle taken before follows the slot: it speaks for the replacement, whose lines its listener heard.
            long replacement = web.snapshot().get(0).pid().getAsLong();
            // Listeners can tell the two processes of a slot apart: the swap, then the old one's stop, by pid.
            await().until(() -> events.of(io.tspm.event.ProcessStopped.class).stream()
                    .anyMatch(e -> e.instanceId() == 0 && e.pid().orElse(-1) == oldPid0));
            assertThat(events.of(io.tspm.event.InstanceReplaced.class)).anySatisfy(e -> {
                assertThat(e.instanceId()).isZero();
                assertThat(e.oldPid()).hasValue(oldPid0);
                assertThat(e.newPid()).isEqualTo(replacement);
            });
            assertThat(held.pid()).hasValue(replacement);
            assertThat(held.port()).hasValue(24100 + 3);
            assertThat(heard).anyMatch(l -> l.pid() == replacement && l.text().startsWith("listening"));
            // A second reload goes back to the first lane.
            web.reload();
            assertThat(web.instance(0).port()).hasValue(24100);
            assertThat(get(24100)).startsWith("instance 0 pid " + web.instance(0).pid().getAsLong());
            assertThat(held.pid()).isEqualTo(web.instance(0).pid());
            // Stopping through the old handle stops the process that runs now.
            long now = held.pid().getAsLong();
            assertThat(held.stop()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(ProcessHandle.of(now).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(web.instance(0).state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    @Test
    void stoppingTheGroupDuringAReloadStopsTheReplacementsAndFailsTheReload() throws Exception {
        Path broken = dir.resolve("broken");
        try (Supervisor s = cluster(broken, 24300)) {
            s.start();
            ProcessGroup web = s.group("web");
            Files.createFile(broken); // the replacement never gets ready, so the reload waits on it
            java.util.concurrent.CompletableFuture<Void> reload = web.reloadAsync();
            await().until(() -> helpers() == 4);
            web.stop();
            assertThatThrownBy(reload::join).hasRootCauseInstanceOf(TspmException.class)
                    .rootCause().hasMessageContaining("failed at instance 0: instance 0 was stopped during the reload;"
                            + " its replacement was stopped too");
            await().until(() -> helpers() == 0);
            assertThat(web.snapshot()).allMatch(i -> i.state() == InstanceState.STOPPED);
            assertThat(events.of(ReloadFailed.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).startsWith("instance 0 was stopped during the reload"));
        }
    }

    @Test
    void stoppingAnInstanceDuringAReloadStopsItsReplacementAtOnce() throws Exception {
        Path broken = dir.resolve("broken");
        try (Supervisor s = cluster(broken, 24400)) {
            s.start();
            ProcessGroup web = s.group("web");
            ProcessInstance first = web.instance(0);
            Files.createFile(broken);
            java.util.concurrent.CompletableFuture<Void> reload = web.reloadAsync();
            await().until(() -> helpers() == 4);
            assertThat(first.stop()).isEqualTo(StopOutcome.GRACEFUL);
            // Not at the reload timeout: the replacement went with the instance it was to replace.
            assertThatThrownBy(reload::join).rootCause()
                    .hasMessageContaining("failed at instance 0: instance 0 was stopped during the reload");
            await().until(() -> helpers() == 2);
            assertThat(web.instance(0).state()).isEqualTo(InstanceState.STOPPED);
            assertThat(web.instance(1).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    void aListenerAddedThroughAHandleWhileAReplacementStartsHearsTheReplacement() throws Exception {
        Path readyFile = Files.createFile(dir.resolve("ready"));
        try (Supervisor s = Supervisor.builder()
                .addProcess("ticker", p -> p.shell("while :; do echo tick; sleep 0.05; done")
                        .readinessProbe(ProbeSettings.builder(fileExists(readyFile)).period(Duration.ofMillis(50)).build())
                        .reloadDrain(Duration.ofMillis(50)).reloadTimeout(Duration.ofSeconds(30)))
                .build()) {
            s.start();
            ProcessGroup ticker = s.group("ticker");
            ProcessInstance handle = ticker.instance(0);
            long old = handle.pid().getAsLong();
            Files.delete(readyFile); // the replacement waits until the file is back
            java.util.concurrent.CompletableFuture<Void> reload = ticker.reloadAsync();
            java.util.List<OutputLine> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            handle.addLineListener(heard::add);
            await().until(() -> heard.stream().anyMatch(l -> l.pid() != old));
            Files.createFile(readyFile);
            reload.join();
            long replacement = handle.pid().getAsLong();
            assertThat(replacement).isNotEqualTo(old);
            assertThat(heard).anyMatch(l -> l.pid() == replacement);
        }
    }

    @Test
    void stoppingTheGroupDoesNotWaitForTheDrainOfAReplacedInstance() throws Exception {
        try (Supervisor s = Supervisor.builder()
                .addProcess("ticker", p -> p.shell("while :; do echo tick; sleep 0.05; done")
                        .reloadDrain(Duration.ofMinutes(5)))
                .build()) {
            s.start();
            ProcessGroup ticker = s.group("ticker");
            long old = ticker.instance(0).pid().getAsLong();
            java.util.concurrent.CompletableFuture<Void> reload = ticker.reloadAsync();
            await().until(() -> ticker.instance(0).pid().orElse(old) != old);
            ticker.stop();
            assertThat(ProcessHandle.of(old).filter(ProcessHandle::isAlive)).as("the draining old instance").isEmpty();
            assertThat(ticker.instance(0).state()).isEqualTo(InstanceState.STOPPED);
            // The stop ended the drain: the reload is done, not waiting five minutes.
            await().until(reload::isDone);
            assertThat(reload).isCompleted();
        }
    }

    @Test
    void stoppingAnInstanceAfterItsSwapEndsTheDrainOfTheOldOne() throws Exception {
        // No loop that forks: a fork racing the stop signal is SIGKILLed, and the outcome is KILLED.
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("sleeper", p -> p.shell("exec sleep 600").instances(2)
                        .reloadDrain(Duration.ofMinutes(5)))
                .build()) {
            s.start();
            ProcessGroup sleeper = s.group("sleeper");
            ProcessInstance handle = sleeper.instance(0);
            long old = handle.pid().getAsLong();
            java.util.concurrent.CompletableFuture<Void> reload = sleeper.reloadAsync();
            await().until(() -> handle.pid().orElse(old) != old);
            long replacement = handle.pid().getAsLong();
            assertThat(handle.stop()).as("%s", events.all()).isEqualTo(StopOutcome.GRACEFUL);
            assertThat(ProcessHandle.of(old).filter(ProcessHandle::isAlive)).as("the draining old one").isEmpty();
            assertThat(ProcessHandle.of(replacement).filter(ProcessHandle::isAlive)).isEmpty();
            sleeper.stop(); // ends the reload, which goes on with instance 1
            await().until(reload::isDone);
        }
    }

    @Test
    void aGroupStopWaitsForAGivenUpReplacementThatIgnoresSigterm() throws Exception {
        Path readyFile = Files.createFile(dir.resolve("ready"));
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("stubborn", p -> p.shell("if [ ! -e '" + readyFile + "' ]; then trap '' TERM; fi;"
                        + " while :; do sleep 0.05; done")
                        .readinessProbe(ProbeSettings.builder(fileExists(readyFile)).period(Duration.ofMillis(50)).build())
                        .stopTimeout(Duration.ofSeconds(2)).reloadTimeout(Duration.ofMillis(500)))
                .build()) {
            s.start();
            ProcessGroup group = s.group("stubborn");
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            group.addLineListener(l -> seen.add(l.pid()));
            long old = group.instance(0).pid().getAsLong();
            Files.delete(readyFile); // the replacement never gets ready
            java.util.concurrent.CompletableFuture<Void> reload = group.reloadAsync();
            await().until(() -> !events.of(ReloadFailed.class).isEmpty());
            // The given-up replacement ignores its SIGTERM for 2 s (the old one does not); the stop must wait for it.
            group.stop();
            assertThat(ProcessHandle.of(old).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(ProcessHandle.current().descendants().filter(h -> h.info().commandLine().orElse("")
                    .contains("trap '' TERM")).count()).as("processes left after the stop").isZero();
            await().until(reload::isDone);
        }
    }

    @Test
    void aReplacementThatCrashesIsNotRestartedAndDoesNotRestartItsSiblings() throws Exception {
        Path fail = dir.resolve("fail");
        try (Supervisor s = Supervisor.builder().addListener(events)
                .addProcess("pair", p -> p.shell("[ -e '" + fail + "' ] && exit 1; exec sleep 600").instances(2)
                        .restartStrategy(RestartStrategy.ONE_FOR_ALL)
                        .restartPolicy(RestartPolicy.builder().fixedDelay(Duration.ofMillis(10)).unlimitedRestarts().build()))
                .build()) {
            s.start();
            ProcessGroup pair = s.group("pair");
            long first = pair.instance(0).pid().getAsLong();
            long second = pair.instance(1).pid().getAsLong();
            Files.createFile(fail); // every replacement exits at once
            assertThatThrownBy(pair::reload).hasMessageContaining("failed at instance 0: the replacement failed");
            // The old ones keep serving, untouched: the replacement's crash is the reload's failure, not a restart.
            assertThat(pair.instance(0).pid()).hasValue(first);
            assertThat(pair.instance(1).pid()).hasValue(second);
            assertThat(events.of(io.tspm.event.RestartScheduled.class)).isEmpty();
        }
    }

    /** Ready while {@code file} exists. */
    private static Probe fileExists(Path file) {
        return Probe.blocking("ready file", ctx -> Files.exists(file) ? ProbeResult.success("there")
                : ProbeResult.failure("missing"));
    }

    /** The HTTP helpers this JVM runs. */
    private static long helpers() {
        return ProcessHandle.current().descendants().filter(h -> h.info().commandLine().orElse("")
                .contains(HttpMain.class.getName())).count();
    }

    @Test
    void aReplacementThatNeverGetsReadyLeavesTheOldOneServing() throws Exception {
        Path broken = dir.resolve("broken");
        try (Supervisor s = cluster(broken, 24200)) {
            s.start();
            ProcessGroup web = s.group("web");
            long pid0 = web.instance(0).pid().getAsLong();
            Files.createFile(broken); // replacements will never listen
            assertThatThrownBy(web::reload).isInstanceOf(TspmException.class)
                    .hasMessageContaining("reload of process 'web' failed at instance 0: the replacement was not ready"
                            + " within 3 s; the old instance keeps serving");
            assertThat(web.instance(0).pid()).hasValue(pid0);
            assertThat(get(24200)).isEqualTo("instance 0 pid " + pid0);
            await().until(() -> events.of(ReloadFailed.class).size() == 1);
            // The failed replacement is gone, and the other instances were not touched.
            assertThat(web.snapshot()).allMatch(i -> i.state() == InstanceState.RUNNING);
            assertThat(helpers()).isEqualTo(3);
        }
    }
}
