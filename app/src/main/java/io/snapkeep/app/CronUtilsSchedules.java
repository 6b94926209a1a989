package io.snapkeep.app;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.snapkeep.core.port.out.CronSchedules;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Unix cron expressions (five fields: minute, hour, day of month, month, day of week; a restricted day of
 * month and day of week match either, as in Vixie cron) and the macros {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}, read by cron-utils.
 *
 * <p>A due time is a wall-clock time in the zone, so a nightly policy runs every night across daylight
 * saving changes: a time the spring change skips is due as far after the change as it would have been
 * after its start ({@code 02:30} in Europe/Berlin on the spring day is due at {@code 03:30} summer time), and a
 * time the autumn change repeats is due once, at its first occurrence. cron-utils alone would skip the
 * former; it is asked about wall-clock times only (in UTC, which has no changes), and the zone's rules map
 * them to instants here.
 */
final class CronUtilsSchedules implements CronSchedules {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    /**
     * Wall-clock matches that fall before {@code after} once mapped (the repeated hour of an autumn change,
     * read a second time) are stepped over; a minute-by-minute cron meets at most a few hundred of them.
     */
    private static final int MAX_STEPS = 10_000;

    private static final String SHAPE = "a schedule is five fields (minute hour day-of-month month "
            + "day-of-week, e.g. \"0 3 * * *\") or one of " + String.join(", ", List.of("@yearly", "@annually",
            "@monthly", "@weekly", "@daily", "@midnight", "@hourly"));

    @Override
    public Schedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("it is empty; " + SHAPE);
        }
        String text = expression.strip();
        String fields = text.startsWith("@") ? MACROS.get(text.toLowerCase(Locale.ROOT)) : text;
        if (fields == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not a schedule macro; " + SHAPE);
        }
        Cron cron;
        try {
            cron = PARSER.parse(fields).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(words(e) + "; " + SHAPE, e);
        }
        ExecutionTime times = ExecutionTime.forCron(cron);
        return after -> next(times, zone, after);
    }

    private static Optional<Instant> next(ExecutionTime times, ZoneId zone, Instant after) {
        Objects.requireNonNull(after, "after");
        LocalDateTime wall = searchFrom(zone, after);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> match = times.nextExecution(wall.atZone(ZoneOffset.UTC));
            if (match.isEmpty()) {
                return Optional.empty();
            }
            wall = match.get().toLocalDateTime();
            // In a gap, atZone moves the time forward by the gap's length; in an overlap it takes the earlier offset.
            Instant due = wall.atZone(zone).toInstant();
            if (due.isAfter(after)) {
                return Optional.of(due);
            }
        }
        throw new IllegalStateException("No due time found after " + after + " within " + MAX_STEPS + " steps");
    }

    /**
     * The wall-clock time to search forward from: {@code after}'s own, or, shortly after a spring change, the
     * start of the skipped hour, whose times are due after the change and may still be ahead of {@code after}.
     */
    private static LocalDateTime searchFrom(ZoneId zone, Instant after) {
        ZoneOffsetTransition change = zone.getRules().previousTransition(after.plusNanos(1));
        if (change != null && change.isGap() && after.isBefore(change.getInstant().plus(change.getDuration()))) {
            return change.getDateTimeBefore().minusMinutes(1);
        }
        return LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES);
    }

    /**
     * cron-utils' reason without its preamble, which repeats what the caller says already, and without the
     * expression it quotes in upper case, which the caller quotes as written.
     */
    private static String words(IllegalArgumentException e) {
        String m = e.getMessage() == null ? "not readable" : e.getMessage();
        String preamble = "Failed to parse cron expression. ";
        m = m.startsWith(preamble) ? m.substring(preamble.length()) : m;
        int quoted = m.indexOf(" Expression: ");
        m = quoted < 0 ? m : m.substring(0, quoted);
        m = m.endsWith(".") || m.endsWith("!") ? m.substring(0, m.length() - 1) : m;
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
