package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcStatTest {

    @Test
    void parsesACommandNameWithSpacesAndParentheses() {
        String line = "4242 (my (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50";
        ProcStat st = ProcStat.parse(line);
        assertThat(st).isEqualTo(new ProcStat(4242, 'S', 1, 4242, 4242, 987654, 3, 1, 50));
        assertThat(st.exited()).isFalse();
        assertThat(ProcStat.parse("4242 (z) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0").exited()).isTrue();
    }

    @Test
    void garbageIsNull() {
        assertThat(ProcStat.parse("")).isNull();
        assertThat(ProcStat.parse("12 (x) S 1")).isNull();
        assertThat(ProcStat.parse("x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21")).isNull();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisJvm() {
        ProcStat self = ProcStat.read(ProcessHandle.current().pid());
        assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(self.startTicks()).isPositive();
        assertThat(ProcStat.read(Integer.MAX_VALUE)).isNull();
    }
}
