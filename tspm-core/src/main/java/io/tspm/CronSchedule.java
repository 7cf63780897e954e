package io.tspm;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A 5-field cron expression ({@code minute hour day-of-month month day-of-week}), as Vixie cron
 * reads it: {@code *}, numbers, ranges {@code a-b}, steps <code>&#42;/n</code> and {@code a-b/n}, lists
 * {@code a,b}; month names {@code JAN..DEC} and day names {@code SUN..SAT} (0 and 7 are Sunday);
 * the macros {@code @yearly}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight},
 * {@code @hourly}. When both day fields are restricted (neither starts with {@code *}), a day
 * matches either (cron's rule). Times are wall-clock times in the zone of the time given to
 * {@link #next}.
 * Immutable; {@link #parse} rejects a bad expression naming the field and the value.
 */
public final class CronSchedule {

    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String expression, String[] f) {
        this.expression = expression;
        this.minutes = field("minute", f[0], 0, 59, null);
        this.hours = field("hour", f[1], 0, 23, null);
        this.daysOfMonth = field("day-of-month", f[2], 1, 31, null);
        this.months = field("month", f[3], 1, 12, MONTHS);
        BitSet dow = field("day-of-week", f[4], 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        this.daysOfWeek = dow;
        // As Vixie cron: a day field that starts with '*' counts as unrestricted for the OR rule.
        this.anyDayOfMonth = f[2].startsWith("*") || f[2].equals("?");
        this.anyDayOfWeek = f[4].startsWith("*") || f[4].equals("?");
    }

    /** Parses {@code expression}; throws {@link IllegalArgumentException} naming the field and value. */
    public static CronSchedule parse(String expression) {
        Objects.requireNonNull(expression, "cron expression");
        String e = expression.trim();
        String expanded = MACROS.getOrDefault(e.toLowerCase(Locale.ROOT), e);
        String[] f = expanded.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("cron expression must have 5 fields (minute hour day-of-month month"
                    + " day-of-week) or be a macro such as @daily, but was '" + expression + "'");
        }
        return new CronSchedule(expression, f);
    }

    /**
     * The first time after {@code after}, at a whole minute, that the expression matches. Matching
     * is on the wall clock, as cron does: in the hour a daylight-saving change repeats, a time fires
     * once (the first); a time the change skips fires just after the jump.
     */
    public ZonedDateTime next(ZonedDateTime after) {
        LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = t.plusYears(9); // Feb 29 on a given weekday recurs within 28 years; 9 suffice for sane ones
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            // atZone moves a wall time inside a gap forward by the gap, and takes the earlier offset
            // in an overlap; the wall clock only moves forward here, so nothing fires twice.
            ZonedDateTime z = t.atZone(after.getZone());
            if (z.isAfter(after)) {
                return z;
            }
            t = t.plusMinutes(1);
        }
        throw new IllegalStateException("cron expression '" + expression + "' never matches after " + after);
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        // Vixie cron: either field starred -> both must match; both restricted -> either may.
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }

    private static BitSet field(String name, String text, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw bad(name, text, "an empty list item");
            }
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(name, text, item.substring(slash + 1), null);
                if (step < 1) {
                    throw bad(name, text, "a step of at least 1");
                }
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else {
                int dash = range.indexOf('-', 1);
                if (dash > 0) {
                    lo = number(name, text, range.substring(0, dash), names);
                    hi = number(name, text, range.substring(dash + 1), names);
                } else {
                    lo = number(name, text, range, names);
                    hi = slash >= 0 ? max : lo;
                }
            }
            if (lo < min || hi > max || lo > hi) {
                throw bad(name, text, "values in " + min + ".." + max + (lo > hi ? " with a range low to high" : ""));
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String name, String text, String s, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(s)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 4) {
            throw bad(name, text, "numbers" + (names != null ? " or names" : ""));
        }
        return Integer.parseInt(s);
    }

    private static IllegalArgumentException bad(String name, String text, String expected) {
        return new IllegalArgumentException("cron " + name + " field must be " + expected + ", but was '" + text + "'");
    }

    /** Equal when they fire at the same times (the same fields, however written). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CronSchedule)) {
            return false;
        }
        CronSchedule c = (CronSchedule) o;
        return minutes.equals(c.minutes) && hours.equals(c.hours) && daysOfMonth.equals(c.daysOfMonth)
                && months.equals(c.months) && daysOfWeek.equals(c.daysOfWeek) && anyDayOfMonth == c.anyDayOfMonth
                && anyDayOfWeek == c.anyDayOfWeek;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(minutes, hours, daysOfMonth, months, daysOfWeek, anyDayOfMonth, anyDayOfWeek);
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return expression;
    }
}
