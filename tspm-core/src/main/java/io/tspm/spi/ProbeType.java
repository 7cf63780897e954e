package io.tspm.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of {@link Probe} that configuration names by type ({@code type: http}): it creates the
 * probe from its settings and, for writing a spec back out, turns a probe it made into settings
 * again. Types come from {@link ProbeTypeProvider}s found through {@link java.util.ServiceLoader},
 * so a probe on the class path is found by its name like a built-in one.
 */
public interface ProbeType {

    /** The type name as a file writes it ({@code http}, {@code logLine}). */
    String name();

    /** Other names a file may use for this type ({@code log-line}); none by default. */
    default Set<String> aliases() {
        return Set.of();
    }

    /** The keys its settings may have, besides {@code type} and the probe timing keys. */
    List<SettingKey> keys();

    /**
     * A probe from {@code settings}. A wrong or missing setting is an {@link InvalidSettingException}
     * (or an {@link IllegalArgumentException} whose message names the setting).
     */
    Probe create(TypeSettings settings);

    /**
     * The settings that create {@code probe} again, when this type made it (values: String,
     * Integer, Long, Double, Boolean, {@link java.time.Duration}, lists of strings, maps of strings,
     * lists of probes); empty when it is not this type's. Configuration writes a spec back out
     * with it, so it must hold everything that differs from the defaults.
     */
    default Optional<Map<String, Object>> settingsOf(Probe probe) {
        return Optional.empty();
    }
}
