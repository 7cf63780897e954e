package io.tspm.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in probes as data: accessors, type names, equality and toString. */
class ProbeValuesTest {

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
    void aCommandCutOffAtItsTimeoutSaysSoForPeople() {
        CommandProbe probe = Probes.command("sleep", "30");
        String message = probe.check(new FixedProbeContext(Duration.ofMillis(200))).join().message();
        assertThat(message).isEqualTo("command [sleep, 30] did not finish within 200 ms");
    }

    @Test
    void builtInProbesAreOneOfTheKnownTypes() {
        List<BuiltInProbe> probes = List.of(Probes.tcp(1), Probes.command("true"), Probes.readyFile());
        assertThat(probes).extracting(BuiltInProbe::type).containsExactly("tcp", "command", "ready-file");
    }
}
