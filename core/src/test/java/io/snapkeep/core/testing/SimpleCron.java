package io.snapkeep.core.testing;

import io.snapkeep.core.port.out.CronSchedules;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * A small reader of five-field cron expressions for tests of the core (which has no cron library): each field
 * is {@code *}, {@code *}{@code /n}, a number, a range {@code a-b} or a list of those; day of week 0-6 from
 * Sunday. When both day fields are restricted, either matching is enough, as in Unix cron. Looks at most five
 * years ahead.
 */
public final class SimpleCron implements CronSchedules {
    private static final int YEARS_AHEAD = 5;

    @Override
    public Schedule parse(String expression, ZoneId zone) {
        String[] f = expression.trim().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("it has " + f.length + " fields, not 5");
        }
        BitSet minutes = field(f[0], 0, 59, "minute");
        BitSet hours = field(f[1], 0, 23, "hour");
        BitSet days = field(f[2], 1, 31, "day of month");
        BitSet months = field(f[3], 1, 12, "month");
        BitSet weekdays = field(f[4], 0, 6, "day of week");
        boolean anyDay = f[2].equals("*");
        boolean anyWeekday = f[4].equals("*");
        return after -> {
            ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            ZonedDateTime end = t.plusYears(YEARS_AHEAD);
            while (t.isBefore(end)) {
                boolean dayOk = anyDay && anyWeekday ? true
                        : anyDay ? weekdays.get(t.getDayOfWeek().getValue() % 7)
                        : anyWeekday ? days.get(t.getDayOfMonth())
                        : days.get(t.getDayOfMonth()) || weekdays.get(t.getDayOfWeek().getValue() % 7);
                if (!months.get(t.getMonthValue()) || !dayOk) {
                    t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                } else if (!hours.get(t.getHour())) {
                    t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                } else if (!minutes.get(t.getMinute())) {
                    t = t.plusMinutes(1);
                } else {
                    return Optional.of(t.toInstant());
                }
            }
            return Optional.empty();
        };
    }

    private static BitSet field(String text, int min, int max, String name) {
        BitSet set = new BitSet();
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, name);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                from = number(range.substring(0, range.indexOf('-')), min, max, name);
                to = number(range.substring(range.indexOf('-') + 1), min, max, name);
            } else {
                from = number(range, min, max, name);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String text, int min, int max, String name) {
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new IllegalArgumentException("the " + name + " " + v + " is not within " + min + "-" + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + name + " field `" + text + "` is not a number");
        }
    }
}
