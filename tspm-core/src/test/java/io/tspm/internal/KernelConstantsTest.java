package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class KernelConstantsTest {

    private static long getconf(String name) throws Exception {
        Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).isZero();
        return Long.parseLong(out);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisJvmsValuesAreWhatGetconfSays() throws Exception {
        KernelConstants k = KernelConstants.read();
        assertThat(k.clockTicksPerSecond()).isEqualTo(getconf("CLK_TCK"));
        assertThat(k.pageSize()).isEqualTo(getconf("PAGESIZE"));
    }

    @Test
    void readsPairsOfEitherWordSizeUpToTheEnd() {
        ByteBuffer b64 = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b64.putLong(6).putLong(16384).putLong(17).putLong(250).putLong(0).putLong(0).putLong(17).putLong(1);
        assertThat(KernelConstants.parse(b64.array(), 8, ByteOrder.LITTLE_ENDIAN))
                .isEqualTo(new KernelConstants(250, 16384));
        ByteBuffer b32 = ByteBuffer.allocate(4 * 4).order(ByteOrder.BIG_ENDIAN);
        b32.putInt(17).putInt(1000).putInt(6).putInt(65536);
        assertThat(KernelConstants.parse(b32.array(), 4, ByteOrder.BIG_ENDIAN))
                .isEqualTo(new KernelConstants(1000, 65536));
    }

    @Test
    void missingOrGarbledValuesFallBackToLinuxsUsualOnes() {
        assertThat(KernelConstants.parse(new byte[0], 8, ByteOrder.nativeOrder())).isEqualTo(KernelConstants.DEFAULT);
        assertThat(KernelConstants.parse(new byte[] {1, 2, 3}, 8, ByteOrder.nativeOrder()))
                .isEqualTo(KernelConstants.DEFAULT);
        ByteBuffer zero = ByteBuffer.allocate(2 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(17).putLong(0);
        assertThat(KernelConstants.parse(zero.array(), 8, ByteOrder.LITTLE_ENDIAN)).isEqualTo(KernelConstants.DEFAULT);
        assertThat(KernelConstants.DEFAULT).isEqualTo(new KernelConstants(100, 4096));
    }
}
