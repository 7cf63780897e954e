package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.Signal;
import org.junit.jupiter.api.Test;

class IgnoredSignalsTest {

    @Test
    void aMaskNamesTheSignalsWhoseBitsAreSet() {
        // /proc's SigIgn of a shell's background job: INT (bit 1) and QUIT (bit 2).
        assertThat(IgnoredSignals.fromMask(0x6)).containsExactly(Signal.INT, Signal.QUIT);
        assertThat(IgnoredSignals.fromMask(1L << 14 | 1L)).containsExactly(Signal.HUP, Signal.TERM);
        assertThat(IgnoredSignals.fromMask(0)).isEmpty();
        // Bits of signals the supervisor never sends are left out (SIGPIPE, 13).
        assertThat(IgnoredSignals.fromMask(1L << 12)).isEmpty();
    }
}
