package io.tspm.healthcheck;

import io.tspm.spi.Probe;

/**
 * A probe of this module: one of the types {@link Probes} builds. Each is an immutable value with
 * accessors for its settings, value {@code equals} and {@code hashCode}, and a {@code toString}
 * that starts with {@link #describe()} and adds the settings that differ from the defaults, so
 * configuration can bind one by its {@link #type()} and write it back out.
 */
public sealed interface BuiltInProbe extends Probe
        permits CompositeProbe, CommandProbe, HttpProbe, LogLineProbe, ReadyFileProbe, TcpProbe {

    /**
     * The probe's type name as configuration writes it: {@code http}, {@code https}, {@code tcp},
     * {@code command}, {@code log-line}, {@code ready-file}, {@code all} or {@code any}.
     */
    String type();
}
