package io.tspm.healthcheck;

import io.tspm.spi.Probe;
import java.util.List;
import java.util.Objects;

/**
 * The built-in probes. Hosts, ports and URLs may use {@code {port}} (the instance's assigned
 * port, {@code basePort + id}), {@code {id}} and {@code {name}}. Each probe is an immutable
 * {@link BuiltInProbe} value: its fluent methods return a new probe, and two built the same way
 * are equal.
 *
 * <pre>{@code
 * ProcessSpec.builder("api").command("java", "-jar", "api.jar").basePort(8080).instances(2)
 *     .startupProbe(Probes.logLine("Started .* in").failOn("Address already in use"))
 *     .readinessProbe(Probes.http("http://127.0.0.1:{port}/health").expectBody("UP"))
 *     .livenessProbe(Probes.tcp("{port}"))
 * }</pre>
 */
public final class Probes {

    private Probes() {
    }

    /** An HTTP(S) request; passes on a status in 200..399 unless told otherwise. */
    public static HttpProbe http(String urlTemplate) {
        return new HttpProbe(urlTemplate);
    }

    /** A TCP connect to 127.0.0.1 on {@code portTemplate} ("8080" or "{port}"). */
    public static TcpProbe tcp(String portTemplate) {
        return new TcpProbe("127.0.0.1", portTemplate);
    }

    /** A TCP connect to 127.0.0.1 on a fixed port. */
    public static TcpProbe tcp(int port) {
        return new TcpProbe("127.0.0.1", Integer.toString(port));
    }

    /** A TCP connect to {@code host} on {@code portTemplate}. */
    public static TcpProbe tcp(String host, String portTemplate) {
        return new TcpProbe(host, portTemplate);
    }

    /** A command that passes by exiting 0 within the timeout (killed otherwise), with the process's environment. */
    public static CommandProbe command(String... argv) {
        return new CommandProbe(List.of(argv));
    }

    /** Passes once the process printed a line matching {@code regex} (since its start). */
    public static LogLineProbe logLine(String regex) {
        return new LogLineProbe(regex);
    }

    /**
     * Passes once the process created the file whose path it finds in {@code TSPM_READY_FILE}: a
     * readiness signal any program can send ({@code touch "$TSPM_READY_FILE"}).
     */
    public static ReadyFileProbe readyFile() {
        return new ReadyFileProbe(ReadyFileProbe.DEFAULT_VARIABLE);
    }

    /** Passes when every probe passes (checked together). */
    public static AllProbe all(Probe... probes) {
        return new AllProbe(List.of(Objects.requireNonNull(probes, "probes")));
    }

    /** Passes when at least one probe passes (checked together). */
    public static AnyProbe any(Probe... probes) {
        return new AnyProbe(List.of(Objects.requireNonNull(probes, "probes")));
    }
}
