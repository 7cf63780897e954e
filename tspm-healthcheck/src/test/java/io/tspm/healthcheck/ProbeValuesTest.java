package io.tspm.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tspm.spi.Probe;
import io.tspm.spi.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The built-in probes as data: accessors, type names, equality and toString. */
class ProbeValuesTest {

    @Test
    void httpProbeWithTheDefaultsTellsThemAndPrintsAsItDescribesItself() {
        HttpProbe probe = Probes.http("http://127.0.0.1:{port}/health");
        assertThat(probe.urlTemplate()).isEqualTo("http://127.0.0.1:{port}/health");
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(probe.requestBody()).isEmpty();
        assertThat(probe.minStatus()).isEqualTo(200);
        assertThat(probe.maxStatus()).isEqualTo(399);
        assertThat(probe.expectedBody()).isEmpty();
        assertThat(probe.expectedBodyPattern()).isEmpty();
        assertThat(probe.headers()).isEmpty();
        assertThat(probe.trustsAllCertificates()).isFalse();
        assertThat(probe.type()).isEqualTo("http");
        assertThat(probe).hasToString("http GET http://127.0.0.1:{port}/health").hasToString(probe.describe());
    }

    private static HttpProbe everySetting() {
        return Probes.http("https://localhost:{port}/ready").post("ping").expectStatus(200, 204).expectBody("UP")
                .expectBodyMatching("status: (UP|OK)").header("Accept", "text/plain").header("X-Api-Key", "k3y")
                .header("Accept", "application/json").trustAllCertificates();
    }

    @Test
    void httpProbeTellsEverySettingThatWasSet() {
        HttpProbe probe = everySetting();
        assertThat(probe.urlTemplate()).isEqualTo("https://localhost:{port}/ready");
        assertThat(probe.method()).isEqualTo("POST");
        assertThat(probe.requestBody()).contains("ping");
        assertThat(probe.minStatus()).isEqualTo(200);
        assertThat(probe.maxStatus()).isEqualTo(204);
        assertThat(probe.expectedBody()).contains("UP");
        assertThat(probe.expectedBodyPattern()).get().extracting(Pattern::pattern).isEqualTo("status: (UP|OK)");
        assertThat(probe.headers()).containsExactly(entry("Accept", "application/json"), entry("X-Api-Key", "k3y"));
        assertThat(probe.headers()).isUnmodifiable();
        assertThat(probe.trustsAllCertificates()).isTrue();
        assertThat(probe.type()).isEqualTo("https");
        assertThat(Probes.http("HTTPS://x/").type()).isEqualTo("https");
        assertThat(Probes.http("http://x/").method("head").method()).isEqualTo("HEAD");
    }

    @Test
    void httpProbesBuiltTheSameWayAreEqualAndEachSettingMakesThemDiffer() {
        HttpProbe probe = everySetting();
        assertThat(probe).isEqualTo(everySetting()).hasSameHashCodeAs(everySetting());
        String url = "https://localhost:{port}/ready";
        assertThat(Probes.http(url)).isEqualTo(Probes.http(url).method("get"))
                .isEqualTo(Probes.http(url).expectStatus(200, 399));
        assertThat(List.of(Probes.http(url + "/x"), Probes.http(url).method("HEAD"), Probes.http(url).post("pong"),
                Probes.http(url).expectStatus(200, 299), Probes.http(url).expectStatus(201, 399),
                Probes.http(url).expectBody("DOWN"), Probes.http(url).expectBodyMatching("status: (UP|OK)"),
                Probes.http(url).expectBodyMatching("status: UP"), Probes.http(url).header("Accept", "text/plain"),
                Probes.http(url).trustAllCertificates()))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(Probes.http(url)))
                .doesNotHaveDuplicates();
        // Headers compare as a map: the order they were set in does not matter.
        assertThat(Probes.http(url).header("A", "1").header("B", "2")).isEqualTo(Probes.http(url).header("B", "2").header("A", "1"));
    }

    @Test
    void httpProbePrintsWhatItDescribesAndTheSettingsThatDifferFromTheDefaultsWithSecretHeadersMasked() {
        assertThat(everySetting()).hasToString("http POST https://localhost:{port}/ready {requestBody='ping',"
                + " expectStatus=200..204, expectBody='UP', expectBodyMatching=/status: (UP|OK)/,"
                + " headers={Accept=application/json, X-Api-Key=***}, trustAllCertificates=true}");
        assertThat(Probes.http("http://x/").header("Authorization", "Bearer abc").header("Cookie", "s=1")
                .header("X-Auth-Token", "t").header("X-Request-Id", "42"))
                .hasToString("http GET http://x/ {headers={Authorization=***, Cookie=***, X-Auth-Token=***, X-Request-Id=42}}");
    }

    @Test
    void logLineProbeTellsItsPatternCountAndFailurePatterns() {
        LogLineProbe plain = Probes.logLine("Started .* in");
        assertThat(plain.pattern().pattern()).isEqualTo("Started .* in");
        assertThat(plain.times()).isEqualTo(1);
        assertThat(plain.failurePatterns()).isEmpty();
        assertThat(plain.type()).isEqualTo("log-line");
        assertThat(plain).hasToString("log line /Started .* in/").hasToString(plain.describe());

        LogLineProbe probe = plain.times(2).failOn("Address already in use").failOn("FATAL", "panic");
        assertThat(probe.times()).isEqualTo(2);
        assertThat(probe.failurePatterns()).extracting(Pattern::pattern)
                .containsExactly("Address already in use", "FATAL", "panic");
        assertThat(probe.failurePatterns()).isUnmodifiable();
        assertThat(probe).hasToString("log line /Started .* in/ x2 {failOn=[/Address already in use/, /FATAL/, /panic/]}");
    }

    @Test
    void logLineProbesCompareTheirPatternsByTextAndFlags() {
        LogLineProbe probe = Probes.logLine("ready").times(3).failOn("in use");
        assertThat(probe).isEqualTo(Probes.logLine("ready").times(3).failOn("in use"))
                .hasSameHashCodeAs(Probes.logLine("ready").times(3).failOn("in use"));
        assertThat(Probes.logLine("ready").failOn()).isEqualTo(Probes.logLine("ready"));
        assertThat(List.of(Probes.logLine("ready!").times(3).failOn("in use"), Probes.logLine("ready").failOn("in use"),
                Probes.logLine("ready").times(3), Probes.logLine("ready").times(3).failOn("in use", "FATAL")))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(probe)).doesNotHaveDuplicates();
        assertThat(Regexes.equal(Pattern.compile("a"), Pattern.compile("a", Pattern.CASE_INSENSITIVE))).isFalse();
        assertThat(Regexes.equal(Pattern.compile("a", Pattern.CASE_INSENSITIVE),
                Pattern.compile("a", Pattern.CASE_INSENSITIVE))).isTrue();
    }

    @Test
    void tcpProbeTellsItsHostAndPortAndEqualsOneBuiltTheSameWay() {
        TcpProbe probe = Probes.tcp("10.0.0.5", "{port}");
        assertThat(probe.host()).isEqualTo("10.0.0.5");
        assertThat(probe.portTemplate()).isEqualTo("{port}");
        assertThat(probe.type()).isEqualTo("tcp");
        assertThat(Probes.tcp("{port}").host()).isEqualTo("127.0.0.1");

        assertThat(probe).isEqualTo(Probes.tcp("10.0.0.5", "{port}")).hasSameHashCodeAs(Probes.tcp("10.0.0.5", "{port}"));
        assertThat(Probes.tcp(8080)).isEqualTo(Probes.tcp("8080")).isEqualTo(Probes.tcp("127.0.0.1", "8080"));
        assertThat(probe).isNotEqualTo(Probes.tcp("10.0.0.6", "{port}")).isNotEqualTo(Probes.tcp("10.0.0.5", "8080"));
        assertThat(probe.toString()).isEqualTo(probe.describe()).isEqualTo("tcp 10.0.0.5:{port}");
    }

    @Test
    void commandProbeTellsItsArgvAndEqualsOneBuiltTheSameWay() {
        CommandProbe probe = Probes.command("pg_isready", "-p", "{port}");
        assertThat(probe.command()).containsExactly("pg_isready", "-p", "{port}");
        assertThat(probe.type()).isEqualTo("command");
        assertThat(probe).isEqualTo(Probes.command("pg_isready", "-p", "{port}"))
                .hasSameHashCodeAs(Probes.command("pg_isready", "-p", "{port}"))
                .isNotEqualTo(Probes.command("pg_isready", "-p", "5432"))
                .isNotEqualTo(Probes.command("pg_isready", "-p"));
        assertThat(probe).hasToString("command [pg_isready, -p, {port}]");
    }

    @Test
    void commandArgvCannotBeChangedThroughTheAccessorOrTheArrayItCameFrom() {
        String[] argv = {"true", "x"};
        CommandProbe probe = Probes.command(argv);
        argv[1] = "y";
        assertThat(probe.command()).containsExactly("true", "x");
        assertThat(probe.command()).isUnmodifiable();
    }

    @Test
    void readyFileProbeTellsItsVariable() {
        ReadyFileProbe probe = Probes.readyFile();
        assertThat(probe.variable()).isEqualTo("TSPM_READY_FILE");
        assertThat(probe.type()).isEqualTo("ready-file");
        assertThat(probe).isEqualTo(Probes.readyFile()).hasSameHashCodeAs(Probes.readyFile())
                .isNotEqualTo(new ReadyFileProbe("OTHER_FILE"));
        assertThat(probe).hasToString("ready file $TSPM_READY_FILE");
    }

    @Test
    void compositesTellTheirProbesAndCompareThemInOrder() {
        AllProbe all = Probes.all(Probes.readyFile(), Probes.tcp("{port}"));
        AnyProbe any = Probes.any(Probes.readyFile(), Probes.tcp("{port}"));
        assertThat(all.probes()).containsExactly(Probes.readyFile(), Probes.tcp("{port}"));
        assertThat(any.probes()).containsExactly(Probes.readyFile(), Probes.tcp("{port}"));
        assertThat(all.probes()).isUnmodifiable();
        assertThat(all.type()).isEqualTo("all");
        assertThat(any.type()).isEqualTo("any");

        assertThat(all).isEqualTo(Probes.all(Probes.readyFile(), Probes.tcp("{port}")))
                .hasSameHashCodeAs(Probes.all(Probes.readyFile(), Probes.tcp("{port}")))
                .isNotEqualTo(any)
                .isNotEqualTo(Probes.all(Probes.tcp("{port}"), Probes.readyFile()))
                .isNotEqualTo(Probes.all(Probes.readyFile()));
        assertThat(any).isEqualTo(Probes.any(Probes.readyFile(), Probes.tcp("{port}")))
                .hasSameHashCodeAs(Probes.any(Probes.readyFile(), Probes.tcp("{port}")));
        assertThat(Probes.all(Probes.any(Probes.tcp(1)), Probes.logLine("up").failOn("FATAL")))
                .isEqualTo(Probes.all(Probes.any(Probes.tcp(1)), Probes.logLine("up").failOn("FATAL")));
    }

    @Test
    void compositesPrintTheSettingsOfTheirProbes() {
        Probe custom = Probe.blocking("my check", c -> ProbeResult.success("ok"));
        AllProbe all = Probes.all(Probes.http("http://x/").expectBody("UP"),
                Probes.any(Probes.logLine("up").failOn("FATAL"), custom));
        assertThat(all.describe()).isEqualTo("all(http GET http://x/, any(log line /up/, my check))");
        assertThat(all).hasToString("all(http GET http://x/ {expectBody='UP'}, any(log line /up/ {failOn=[/FATAL/]}, my check))");
        // A probe of the user's equals only itself.
        assertThat(Probes.any(custom)).isEqualTo(Probes.any(custom))
                .isNotEqualTo(Probes.any(Probe.blocking("my check", c -> ProbeResult.success("ok"))));
    }

    @Test
    void aCommandCutOffAtItsTimeoutSaysSoForPeople() {
        CommandProbe probe = Probes.command("sleep", "30");
        String message = probe.check(new FixedProbeContext(Duration.ofMillis(200))).join().message();
        assertThat(message).isEqualTo("command [sleep, 30] did not finish within 200 ms");
    }

    @Test
    void builtInProbesAreOneOfTheKnownTypes() {
        List<BuiltInProbe> probes = List.of(Probes.http("http://x/"), Probes.http("https://x/"), Probes.tcp(1),
                Probes.command("true"), Probes.logLine("x"), Probes.readyFile(), Probes.all(Probes.tcp(1)), Probes.any(Probes.tcp(1)));
        assertThat(probes).extracting(BuiltInProbe::type)
                .containsExactly("http", "https", "tcp", "command", "log-line", "ready-file", "all", "any");
    }
}
