package io.tspm;

import java.time.Duration;
import java.util.Objects;

/** Checks and saturation for the durations the builders take. */
final class Durations {

    /** Longer than any process will run; huge user values are cut to this instead of overflowing. */
    static final Duration MAX = Duration.ofDays(365L * 100);

    private Durations() {
    }

    static Duration nonNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, but was " + Human.duration(value));
        }
        return value.compareTo(MAX) > 0 ? MAX : value;
    }

    static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, but was " + Human.duration(value));
        }
        return value.compareTo(MAX) > 0 ? MAX : value;
    }
}
