package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanTest {

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertThat(Human.duration(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Human.duration(Duration.ofNanos(250_000))).isEqualTo("250 µs");
        assertThat(Human.duration(Duration.ofMillis(6))).isEqualTo("6 ms");
        assertThat(Human.duration(Duration.ofMillis(999))).isEqualTo("999 ms");
        assertThat(Human.duration(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Human.duration(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Human.duration(Duration.ofMillis(59_999))).isEqualTo("59.9 s");
        assertThat(Human.duration(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
        assertThat(Human.duration(Duration.ofMinutes(60))).isEqualTo("1 h");
        assertThat(Human.duration(Duration.ofMinutes(190))).isEqualTo("3 h 10 min");
        assertThat(Human.duration(Duration.ofHours(52))).isEqualTo("2 d 4 h");
        assertThat(Human.duration(Duration.ofMillis(-20))).isEqualTo("-20 ms");
        assertThat(Human.duration(Duration.ofDays(365L * 100))).isEqualTo("36500 d");
    }

    @Test
    void sizesInBinaryUnits() {
        assertThat(Human.bytes(512)).isEqualTo("512 B");
        assertThat(Human.bytes(64 * 1024)).isEqualTo("64 KiB");
        assertThat(Human.bytes(1536 * 1024)).isEqualTo("1.5 MiB");
        assertThat(Human.bytes(10L * 1024 * 1024)).isEqualTo("10 MiB");
        assertThat(Human.bytes(2L << 30)).isEqualTo("2 GiB");
    }

    @Test
    void editDistanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(Human.editDistance("ab", "ba")).isEqualTo(1);
        assertThat(Human.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(Human.editDistance("", "abc")).isEqualTo(3);
        assertThat(Human.editDistance("ca", "abc")).as("no edit of a swapped pair").isEqualTo(3);
        assertThat(Human.editDistance("same", "same")).isZero();
    }

    @Test
    void theNearestNameIsATypoAwayOrNone() {
        List<String> known = List.of("web", "worker", "instances", "least-connections");
        assertThat(Human.nearest("wbe", known)).contains("web"); // a swap of neighbours is one edit
        assertThat(Human.nearest("lsit", List.of("ls", "list", "logs", "monit"))).contains("list");
        assertThat(Human.nearest("stauts", List.of("start", "status", "startup"))).contains("status");
        assertThat(Human.nearest("WEB", known)).contains("web");
        assertThat(Human.nearest("instanses", known)).contains("instances");
        assertThat(Human.nearest("least-conections", known)).contains("least-connections");
        assertThat(Human.nearest("db", known)).as("as far as its whole length").isEmpty();
        assertThat(Human.nearest("zzzzzzzzz", known)).isEmpty();
        assertThat(Human.nearest("x".repeat(300), List.of("x".repeat(299)))).as("too long to be a typo").isEmpty();
        assertThat(Human.nearest("web", List.of())).isEmpty();
        assertThat(Human.didYouMean("wrker", known)).isEqualTo("; did you mean 'worker'?");
        assertThat(Human.didYouMean("cache", known)).isEmpty();
    }

    @Test
    void anUnknownProcessNamesTheNearest() {
        assertThat(new NoSuchProcessException("wbe", List.of("web", "db")))
                .hasMessage("no process named 'wbe'; did you mean 'web'? (known processes: web, db)");
        assertThat(new NoSuchProcessException("web", List.of())).hasMessage("no process named 'web' (known processes: none)");
    }
}
