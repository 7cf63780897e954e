package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time newline search against the plain byte loop it replaces. */
class LineSplitterTest {

    private static int naive(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsANewlineAtEveryPositionOfEveryWindow() {
        for (int at = 0; at < 40; at++) {
            byte[] b = new byte[40];
            Arrays.fill(b, (byte) 'x');
            b[at] = '\n';
            for (int from = 0; from <= 40; from++) {
                for (int to = from; to <= 40; to++) {
                    assertThat(LineSplitter.indexOfNewline(b, from, to))
                            .as("newline at %d, window [%d, %d)", at, from, to).isEqualTo(naive(b, from, to));
                }
            }
        }
    }

    @Test
    void bytesNearANewlineAreNotTakenForOne() {
        // 0x0B, 0x8A and 0x09 differ from '\n' by one bit; 0x00 and 0xFF are the words' extremes;
        // a '\n' right above a byte that borrows must still be the one found.
        byte[] alphabet = {0x0A, 0x0B, 0x09, (byte) 0x8A, 0x00, (byte) 0xFF, (byte) 0x80, 0x01, 'a', (byte) 0xC3};
        Random random = new Random(17);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(48)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(random.nextBoolean() ? alphabet.length : 3)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(LineSplitter.indexOfNewline(b, from, to)).as("%s [%d, %d)", Arrays.toString(b), from, to)
                    .isEqualTo(naive(b, from, to));
        }
    }

    @Test
    void aBufferWithoutNewlinesHasNone() {
        byte[] b = new byte[1000];
        Arrays.fill(b, (byte) 0x8A);
        assertThat(LineSplitter.indexOfNewline(b, 0, b.length)).isEqualTo(-1);
        assertThat(LineSplitter.indexOfNewline(b, 3, 3)).isEqualTo(-1);
    }
}
