package io.snapkeep.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snapkeep.core.port.out.CronSchedules.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronUtilsSchedulesTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    final CronUtilsSchedules cron = new CronUtilsSchedules();

    private static List<Instant> dueTimes(Schedule schedule, Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < count; i++) {
            t = schedule.next(t).orElseThrow();
            times.add(t);
        }
        return times;
    }

    private static List<Instant> instants(String... texts) {
        return java.util.Arrays.stream(texts).map(Instant::parse).toList();
    }

    @Test
    void nextIsStrictlyAfter() {
        Schedule nightly = cron.parse("0 3 * * *", ZoneOffset.UTC);
        assertThat(nightly.next(Instant.parse("2026-03-01T02:59:59.999Z"))).contains(Instant.parse("2026-03-01T03:00:00Z"));
        assertThat(nightly.next(Instant.parse("2026-03-01T03:00:00Z"))).contains(Instant.parse("2026-03-02T03:00:00Z"));
        assertThat(nightly.next(Instant.parse("2026-03-01T03:00:00.000000001Z")))
                .contains(Instant.parse("2026-03-02T03:00:00Z"));
    }

    @Test
    void aNightlyTimeInTheZoneHoldsAcrossBothDaylightSavingChanges() {
        // Europe/Berlin: summer time from 2026-03-29 02:00 (to 03:00), back on 2026-10-25 03:00 (to 02:00).
        Schedule threeAm = cron.parse("0 3 * * *", BERLIN);
        assertThat(dueTimes(threeAm, Instant.parse("2026-03-27T12:00:00Z"), 4)).isEqualTo(instants(
                "2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z", "2026-03-31T01:00:00Z"));
        assertThat(dueTimes(threeAm, Instant.parse("2026-10-23T12:00:00Z"), 4)).isEqualTo(instants(
                "2026-10-24T01:00:00Z", "2026-10-25T02:00:00Z", "2026-10-26T02:00:00Z", "2026-10-27T02:00:00Z"));
    }

    @Test
    void aTimeTheSpringChangeSkipsIsDueAfterItAndOneItRepeatsIsDueOnce() {
        Schedule halfPastTwo = cron.parse("30 2 * * *", BERLIN);
        // 02:30 does not exist on 2026-03-29: due at 03:30 summer time, not skipped.
        assertThat(dueTimes(halfPastTwo, Instant.parse("2026-03-27T12:00:00Z"), 3)).isEqualTo(instants(
                "2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"));
        // The same due time whether asked from the day before or from just after the change.
        assertThat(halfPastTwo.next(Instant.parse("2026-03-29T01:10:00Z"))).contains(Instant.parse("2026-03-29T01:30:00Z"));
        // 02:30 happens twice on 2026-10-25: due once, at the first (summer time).
        assertThat(dueTimes(halfPastTwo, Instant.parse("2026-10-23T12:00:00Z"), 3)).isEqualTo(instants(
                "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"));
        assertThat(halfPastTwo.next(Instant.parse("2026-10-25T00:30:00Z"))).contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void anHourlyScheduleAcrossTheSpringChange() {
        Schedule hourly = cron.parse("@hourly", BERLIN);
        assertThat(dueTimes(hourly, Instant.parse("2026-03-28T23:30:00Z"), 4)).isEqualTo(instants(
                "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T03:00:00Z"));
    }

    @Test
    void aCronThatNeverFiresHasNoNextTime() {
        assertThat(cron.parse("0 0 30 2 *", ZoneOffset.UTC).next(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(cron.parse("0 0 31 4 *", BERLIN).next(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        // Rare is not never: 29 February comes in 2028.
        assertThat(cron.parse("0 0 29 2 *", ZoneOffset.UTC).next(Instant.parse("2026-03-01T00:00:00Z")))
                .contains(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void macrosAndNamesAreRead() {
        Instant sunday = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(cron.parse("@daily", ZoneOffset.UTC).next(sunday)).contains(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(cron.parse("@MIDNIGHT", ZoneOffset.UTC).next(sunday)).contains(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(cron.parse("@weekly", ZoneOffset.UTC).next(sunday)).contains(Instant.parse("2026-03-08T00:00:00Z"));
        assertThat(cron.parse("@monthly", ZoneOffset.UTC).next(sunday)).contains(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(cron.parse("@yearly", ZoneOffset.UTC).next(sunday)).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(cron.parse("@annually", ZoneOffset.UTC).next(sunday)).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(cron.parse("0 12 * * MON-FRI", ZoneOffset.UTC).next(sunday))
                .contains(Instant.parse("2026-03-02T12:00:00Z"));
        assertThat(cron.parse(" */15  * * * * ", ZoneOffset.UTC).next(sunday))
                .contains(Instant.parse("2026-03-01T10:15:00Z"));
    }

    /** As in Unix cron, a restricted day of month and day of week match either. */
    @Test
    void dayOfMonthOrDayOfWeek() {
        Schedule firstOrMonday = cron.parse("0 0 1 * 1", ZoneOffset.UTC);
        assertThat(dueTimes(firstOrMonday, Instant.parse("2026-03-01T00:00:00Z"), 3)).isEqualTo(instants(
                "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"every night", "0 3 * *", "0 3 * * * *", "60 * * * *", "0 24 * * *", "0 0 * * 8",
            "0 0 L * *", "@reboot", "@often", "0 0 ? * *"})
    void anInvalidExpressionIsRefusedInWords(String expression) {
        assertThatThrownBy(() -> cron.parse(expression, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("five fields")
                .hasMessageNotContaining("Failed to parse");
    }

    @Test
    void theReasonIsInWords() {
        assertThatThrownBy(() -> cron.parse("60 * * * *", ZoneOffset.UTC))
                .hasMessageStartingWith("value 60 not in range [0, 59]; a schedule is five fields");
        assertThatThrownBy(() -> cron.parse("0 3 * *", ZoneOffset.UTC))
                .hasMessageStartingWith("cron expression contains 4 parts but we expect one of [5]; a schedule is");
        assertThatThrownBy(() -> cron.parse("@reboot", ZoneOffset.UTC))
                .hasMessageStartingWith("\"@reboot\" is not a schedule macro; a schedule is five fields");
    }

    @Test
    void anEmptyExpressionIsRefused() {
        assertThatThrownBy(() -> cron.parse("  ", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
