package io.tspm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A process's probes, with Kubernetes' roles: startup (gates the others; failing it fails the
 * start), readiness (decides RUNNING and whether it takes traffic) and liveness (failing it
 * restarts the instance). Each is optional.
 */
public final class HealthChecks {

    /** No probes. */
    public static final HealthChecks NONE = new HealthChecks(null, null, null);

    private final ProbeSettings startup;
    private final ProbeSettings readiness;
    private final ProbeSettings liveness;

    private HealthChecks(ProbeSettings startup, ProbeSettings readiness, ProbeSettings liveness) {
        this.startup = startup;
        this.readiness = readiness;
        this.liveness = liveness;
    }

    /** The probes given; null for none of a kind. Startup and liveness need a success threshold of 1. */
    public static HealthChecks of(ProbeSettings startup, ProbeSettings readiness, ProbeSettings liveness) {
        return new HealthChecks(oneSuccess("startupProbe", startup), readiness, oneSuccess("livenessProbe", liveness));
    }

    private static ProbeSettings oneSuccess(String field, ProbeSettings settings) {
        if (settings != null && settings.successThreshold() != 1) {
            throw new IllegalArgumentException(field + " successThreshold must be 1 (as in Kubernetes), but was "
                    + settings.successThreshold());
        }
        return settings;
    }

    public Optional<ProbeSettings> startup() {
        return Optional.ofNullable(startup);
    }

    public Optional<ProbeSettings> readiness() {
        return Optional.ofNullable(readiness);
    }

    public Optional<ProbeSettings> liveness() {
        return Optional.ofNullable(liveness);
    }

    /** These with another startup probe (null for none). */
    public HealthChecks withStartup(ProbeSettings settings) {
        return of(settings, readiness, liveness);
    }

    /** These with another readiness probe (null for none). */
    public HealthChecks withReadiness(ProbeSettings settings) {
        return of(startup, settings, liveness);
    }

    /** These with another liveness probe (null for none). */
    public HealthChecks withLiveness(ProbeSettings settings) {
        return of(startup, readiness, settings);
    }

    /** The probes there are, startup first. */
    public List<ProbeSettings> all() {
        List<ProbeSettings> out = new ArrayList<>(3);
        startup().ifPresent(out::add);
        readiness().ifPresent(out::add);
        liveness().ifPresent(out::add);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthChecks && Objects.equals(((HealthChecks) o).startup, startup)
                && Objects.equals(((HealthChecks) o).readiness, readiness)
                && Objects.equals(((HealthChecks) o).liveness, liveness);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startup, readiness, liveness);
    }

    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        startup().ifPresent(p -> set.add("startup " + p));
        readiness().ifPresent(p -> set.add("readiness " + p));
        liveness().ifPresent(p -> set.add("liveness " + p));
        return "HealthChecks{" + (set.isEmpty() ? "none" : String.join(", ", set)) + "}";
    }
}
