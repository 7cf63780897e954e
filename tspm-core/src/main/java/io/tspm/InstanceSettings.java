package io.tspm;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * How many instances run and what each is told: its id (in {@link #instanceVar()}) and, with a
 * base port, its port (in {@link #portVar()}): instance {@code i} gets {@code basePort + i}, and in
 * a reload its replacement {@code basePort + reloadPortSpan + i}. With {@link #freePorts()} instead,
 * each instance gets a port that was free when it started (so tests in parallel never clash): it
 * keeps it across restarts while the port is still free, and a reload's replacement gets another
 * free port, which the slot then keeps.
 */
public final class InstanceSettings {

    /** At most this many instances per process. */
    public static final int MAX_INSTANCES = 10_000;
    private static final InstanceSettings DEFAULTS = new Builder().build();

    private final int count;
    private final String instanceVar;
    private final int basePort;
    private final String portVar;
    private final int reloadPortSpan;
    private final boolean freePorts;

    private InstanceSettings(Builder b) {
        this.count = b.count;
        this.instanceVar = b.instanceVar;
        this.basePort = b.basePort;
        this.portVar = b.portVar;
        this.reloadPortSpan = b.reloadPortSpan;
        this.freePorts = b.freePorts;
    }

    /** One instance, {@code TSPM_INSTANCE_ID}, no port. */
    public static InstanceSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.count = count;
        b.instanceVar = instanceVar;
        b.basePort = basePort;
        b.portVar = portVar;
        b.reloadPortSpan = reloadPortSpan;
        b.freePorts = freePorts;
        return b;
    }

    /** How many instances run (0 declares the process without running it). */
    public int count() {
        return count;
    }

    /** The variable that holds the instance id. */
    public String instanceVar() {
        return instanceVar;
    }

    /** The port of instance 0; empty when instances get no port, or free ones ({@link #freePorts()}). */
    public OptionalInt basePort() {
        return basePort == 0 ? OptionalInt.empty() : OptionalInt.of(basePort);
    }

    /** Whether each instance gets a port that is free when it starts, rather than {@code basePort + id}. */
    public boolean freePorts() {
        return freePorts;
    }

    /** Whether instances get a port at all: a base port or free ports. */
    public boolean hasPorts() {
        return basePort != 0 || freePorts;
    }

    /** The variable that holds the instance's port. */
    public String portVar() {
        return portVar;
    }

    /** The distance between a slot's two ports; follows {@link #count()} unless set. */
    public int reloadPortSpan() {
        return reloadPortSpan > 0 ? reloadPortSpan : Math.max(1, count);
    }

    /** Whether the span was set, rather than following the count. */
    public boolean reloadPortSpanSet() {
        return reloadPortSpan > 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InstanceSettings)) {
            return false;
        }
        InstanceSettings i = (InstanceSettings) o;
        return count == i.count && instanceVar.equals(i.instanceVar) && basePort == i.basePort
                && portVar.equals(i.portVar) && reloadPortSpan == i.reloadPortSpan && freePorts == i.freePorts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, instanceVar, basePort, portVar, reloadPortSpan, freePorts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("InstanceSettings{count=").append(count);
        if (!instanceVar.equals(ProcessSpec.DEFAULT_INSTANCE_VAR)) {
            sb.append(", instanceVar=").append(instanceVar);
        }
        if (basePort != 0) {
            sb.append(", basePort=").append(basePort);
        }
        if (freePorts) {
            sb.append(", freePorts");
        }
        if (!portVar.equals(ProcessSpec.DEFAULT_PORT_VAR)) {
            sb.append(", portVar=").append(portVar);
        }
        if (reloadPortSpan != 0) {
            sb.append(", reloadPortSpan=").append(reloadPortSpan);
        }
        return sb.append('}').toString();
    }

    /** Builds {@link InstanceSettings}; each setter checks its value. */
    public static final class Builder {
        private int count = 1;
        private String instanceVar = ProcessSpec.DEFAULT_INSTANCE_VAR;
        private int basePort;
        private String portVar = ProcessSpec.DEFAULT_PORT_VAR;
        private int reloadPortSpan;
        private boolean freePorts;

        Builder() {
        }

        /** How many instances run, 0..10000 (default 1). */
        public Builder count(int instances) {
            this.count = Checks.range("instances", instances, 0, MAX_INSTANCES);
            return this;
        }

        /** The variable that holds the instance id (default {@value ProcessSpec#DEFAULT_INSTANCE_VAR}). */
        public Builder instanceVar(String variable) {
            this.instanceVar = Checks.envName("instanceVar", variable);
            return this;
        }

        /**
         * Hands instance {@code i} the port {@code basePort + i}, 1..65535 (replaces
         * {@link #freePorts()}; for a port chosen free, use that rather than 0).
         */
        public Builder basePort(int port) {
            if (port == 0) {
                throw new IllegalArgumentException("basePort must be in 1..65535, but was 0 (freePorts() hands each "
                        + "instance a free port)");
            }
            this.basePort = Checks.range("basePort", port, 1, 65535);
            this.freePorts = false;
            return this;
        }

        /**
         * Hands each instance a port that is free when it starts (replaces a {@link #basePort(int)}):
         * in {@link #portVar(String)}, {@code {port}} and {@code ProcessInstance.port()}; kept across
         * restarts while still free, another free one for a reload's replacement.
         */
        public Builder freePorts() {
            this.freePorts = true;
            this.basePort = 0;
            return this;
        }

        /** Instances get no port (neither a base port nor free ports). */
        public Builder clearBasePort() {
            this.basePort = 0;
            this.freePorts = false;
            return this;
        }

        /** The variable that holds the instance's port (default {@value ProcessSpec#DEFAULT_PORT_VAR}). */
        public Builder portVar(String variable) {
            this.portVar = Checks.envName("portVar", variable);
            return this;
        }

        /** The distance between a slot's two ports, 1..10000 (default: the instance count). */
        public Builder reloadPortSpan(int span) {
            this.reloadPortSpan = Checks.range("reloadPortSpan", span, 1, MAX_INSTANCES);
            return this;
        }

        /** The span follows the instance count again. */
        public Builder clearReloadPortSpan() {
            this.reloadPortSpan = 0;
            return this;
        }

        /** Checks that the ports fit and the two variables differ. */
        public InstanceSettings build() {
            if (basePort != 0 && count > 0 && basePort + count - 1 > 65535) {
                throw new IllegalStateException("basePort " + basePort + " + instances " + count
                        + " runs past port 65535");
            }
            if ((basePort != 0 || freePorts) && instanceVar.equals(portVar)) {
                throw new IllegalStateException("instanceVar and portVar must differ, but both are '" + portVar + "'");
            }
            return new InstanceSettings(this);
        }
    }
}
