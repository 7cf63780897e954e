package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static ZonedDateTime at(String iso) {
        return ZonedDateTime.parse(iso + "Z[UTC]");
    }

    private static List<String> next(String expr, String from, int n) {
        CronSchedule c = CronSchedule.parse(expr);
        List<String> out = new ArrayList<>();
        ZonedDateTime t = at(from);
        for (int i = 0; i < n; i++) {
            t = c.next(t);
            out.add(t.toLocalDateTime().toString());
        }
        return out;
    }

    @Test
    void stepsRangesListsAndNames() {
        assertThat(next("*/15 * * * *", "2030-01-01T00:07:30", 4))
                .containsExactly("2030-01-01T00:15", "2030-01-01T00:30", "2030-01-01T00:45", "2030-01-01T01:00");
        assertThat(next("0 9-17/4 * * MON-FRI", "2030-01-04T16:00", 4)) // a Friday
                .containsExactly("2030-01-04T17:00", "2030-01-07T09:00", "2030-01-07T13:00", "2030-01-07T17:00");
        assertThat(next("30 2 1,15 * *", "2030-01-01T03:00", 3))
                .containsExactly("2030-01-15T02:30", "2030-02-01T02:30", "2030-02-15T02:30");
        assertThat(next("0 0 * JAN,jul *", "2030-01-31T12:00", 2)).containsExactly("2030-07-01T00:00", "2030-07-02T00:00");
        assertThat(next("5/20 * * * *", "2030-01-01T00:00", 3))
                .containsExactly("2030-01-01T00:05", "2030-01-01T00:25", "2030-01-01T00:45");
    }

    @Test
    void sundayIsZeroAndSevenAndTheTwoDayFieldsAreOred() {
        assertThat(next("0 12 * * 0", "2030-01-01T00:00", 1)).containsExactly("2030-01-06T12:00");
        assertThat(next("0 12 * * 7", "2030-01-01T00:00", 1)).containsExactly("2030-01-06T12:00");
        // Day 13 or any Friday (cron's rule when both are restricted).
        assertThat(next("0 0 13 * FRI", "2030-01-01T00:00", 4))
                .containsExactly("2030-01-04T00:00", "2030-01-11T00:00", "2030-01-13T00:00", "2030-01-18T00:00");
        // A starred day field ("*/2") makes it "and": odd days that are Mondays.
        assertThat(next("0 0 */2 * MON", "2030-01-01T00:00", 2)).containsExactly("2030-01-07T00:00", "2030-01-21T00:00");
    }

    @Test
    void calendarEdges() {
        assertThat(next("0 0 29 2 *", "2030-03-01T00:00", 2)).containsExactly("2032-02-29T00:00", "2036-02-29T00:00");
        assertThat(next("0 0 31 * *", "2030-01-31T00:00", 2)).containsExactly("2030-03-31T00:00", "2030-05-31T00:00");
        assertThat(next("59 23 31 12 *", "2030-12-31T23:59", 1)).containsExactly("2031-12-31T23:59");
        assertThat(next("@hourly", "2030-01-01T10:00", 2)).containsExactly("2030-01-01T11:00", "2030-01-01T12:00");
        assertThat(next("@daily", "2030-01-01T10:00", 1)).containsExactly("2030-01-02T00:00");
        assertThat(next("@weekly", "2030-01-01T10:00", 1)).containsExactly("2030-01-06T00:00");
        assertThat(next("@monthly", "2030-01-01T10:00", 1)).containsExactly("2030-02-01T00:00");
        assertThat(next("@yearly", "2030-01-01T10:00", 1)).containsExactly("2031-01-01T00:00");
        // Strictly after, at whole minutes: a time at the matching minute goes to the next one.
        assertThat(next("* * * * *", "2030-01-01T10:00:00", 1)).containsExactly("2030-01-01T10:01");
        assertThat(next("* * * * *", "2030-01-01T10:00:59.999", 1)).containsExactly("2030-01-01T10:01");
    }

    @Test
    void daylightSavingChangesFollowCron() {
        CronSchedule c = CronSchedule.parse("30 2 * * *");
        // Spring forward in Berlin (02:00 -> 03:00): the skipped 02:30 runs just after the jump...
        ZonedDateTime before = ZonedDateTime.of(2030, 3, 31, 0, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        ZonedDateTime n = c.next(before);
        assertThat(n.toLocalDateTime().toString()).isEqualTo("2030-03-31T03:30");
        // ...and the next day at 02:30 as usual.
        assertThat(c.next(n).toLocalDateTime().toString()).isEqualTo("2030-04-01T02:30");
        // Fall back in New York (02:00 -> 01:00): 01:30 comes twice, the job runs once.
        CronSchedule once = CronSchedule.parse("30 1 * * *");
        ZonedDateTime first = once.next(ZonedDateTime.of(2030, 11, 3, 0, 0, 0, 0, ZoneId.of("America/New_York")));
        assertThat(first.toLocalDateTime().toString()).isEqualTo("2030-11-03T01:30");
        assertThat(once.next(first).toLocalDateTime().toString()).isEqualTo("2030-11-04T01:30");
        assertThat(CronSchedule.parse("0 0 1 1 *").next(at("2030-06-01T00:00")).getZone()).isEqualTo(UTC);
    }

    @Test
    void badExpressionsNameTheFieldAndTheValue() {
        assertThatThrownBy(() -> CronSchedule.parse("* * * *")).hasMessageContaining("must have 5 fields")
                .hasMessageContaining("but was '* * * *'");
        assertThatThrownBy(() -> CronSchedule.parse("60 * * * *"))
                .hasMessage("cron minute field must be values in 0..59, but was '60'");
        assertThatThrownBy(() -> CronSchedule.parse("* 24 * * *")).hasMessage("cron hour field must be values in 0..23, but was '24'");
        assertThatThrownBy(() -> CronSchedule.parse("* * 0 * *")).hasMessageContaining("day-of-month field").hasMessageContaining("'0'");
        assertThatThrownBy(() -> CronSchedule.parse("* * * FOO *")).hasMessage("cron month field must be numbers or names, but was 'FOO'");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * 8")).hasMessageContaining("day-of-week field must be values in 0..7");
        assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *")).hasMessage("cron minute field must be a step of at least 1, but was '*/0'");
        assertThatThrownBy(() -> CronSchedule.parse("5-1 * * * *")).hasMessageContaining("range low to high");
        assertThatThrownBy(() -> CronSchedule.parse("+5 * * * *")).hasMessage("cron minute field must be numbers, but was '+5'");
        assertThatThrownBy(() -> CronSchedule.parse("1,,2 * * * *")).hasMessageContaining("an empty list item").hasMessageContaining("'1,,2'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *").next(at("2030-01-01T00:00")))
                .hasMessageContaining("never matches");
        assertThatThrownBy(() -> ProcessSpec.builder("x").cronRestart("bad")).hasMessageContaining("must have 5 fields");
    }
}
