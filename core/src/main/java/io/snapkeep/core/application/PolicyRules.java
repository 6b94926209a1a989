package io.snapkeep.core.application;

import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotPolicy;
import io.snapkeep.core.domain.SnapshotPolicy.Retention;
import io.snapkeep.core.error.InvalidParameterException;
import io.snapkeep.core.port.out.CronSchedules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a policy usable, checked before it is stored; each refusal names the field at fault, by its name in
 * the API. A template is tried on the schedule's real due times (a day of them, at most
 * {@value #DUE_TIMES_TRIED}) and on dates that make every field as long as it gets.
 */
final class PolicyRules {
    /** How far ahead a schedule must fire: over four years, so that a schedule of 29 February passes. */
    static final Duration MUST_FIRE_WITHIN = Duration.ofDays(1500);
    static final int DUE_TIMES_TRIED = 2000;
    /** Room left in an id for the {@code -2}, {@code -3}... a run appends when the id is taken. */
    static final int SUFFIX_ROOM = 6;
    private static final List<LocalDateTime> WORST_CASES = List.of(
            LocalDateTime.of(2099, 12, 31, 23, 59, 59, 999_000_000),
            LocalDateTime.of(2001, 1, 1, 0, 0),
            LocalDateTime.of(2024, 9, 30, 12, 30, 30));

    private final CronSchedules cron;

    PolicyRules(CronSchedules cron) {
        this.cron = cron;
    }

    /** @throws InvalidParameterException naming the first field at fault */
    void check(SnapshotPolicy policy, Instant now) {
        String nameProblem = SnapshotPolicy.problemWithName(policy.name());
        if (nameProblem != null) {
            throw refused("name", nameProblem);
        }
        ZoneId zone = policy.timeZone();
        try {
            zone.getRules();
        } catch (DateTimeException e) {
            throw refused("time_zone", "`" + zone + "` is not a known time zone");
        }
        CronSchedules.Schedule schedule = schedule("schedule", policy.schedule(), zone, now);
        checkTemplate(policy.snapshotIdTemplate(), schedule, zone, now);
        policy.retention().ifPresent(PolicyRules::checkRetention);
        Optional<String> verify = policy.verifySchedule();
        if (verify.isPresent()) {
            schedule("verify_schedule", verify.get(), zone, now);
        }
    }

    private CronSchedules.Schedule schedule(String field, String expression, ZoneId zone, Instant now) {
        if (expression == null || expression.isBlank()) {
            throw refused(field, "it is empty");
        }
        CronSchedules.Schedule schedule;
        try {
            schedule = cron.parse(expression, zone);
        } catch (IllegalArgumentException e) {
            throw refused(field, "`" + expression + "` is not a cron expression: " + e.getMessage());
        }
        Optional<Instant> next = schedule.next(now);
        if (next.isEmpty() || next.get().isAfter(now.plus(MUST_FIRE_WITHIN))) {
            throw refused(field, "`" + expression + "` never fires in the next four years");
        }
        return schedule;
    }

    private static void checkTemplate(String template, CronSchedules.Schedule schedule, ZoneId zone, Instant now) {
        PolicyTemplate parsed;
        try {
            parsed = PolicyTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            throw refused("snapshot_id", "`" + template + "` is not a usable template: " + e.getMessage());
        }
        List<Instant> due = new ArrayList<>();
        Instant first = schedule.next(now).orElseThrow();
        for (Optional<Instant> t = Optional.of(first); t.isPresent() && due.size() < DUE_TIMES_TRIED
                && t.get().isBefore(first.plus(Duration.ofDays(1))); t = schedule.next(t.get())) {
            due.add(t.get());
        }
        Map<String, Instant> seen = new HashMap<>();
        for (Instant at : due) {
            String id = filled(parsed, template, at, zone);
            Instant before = seen.putIfAbsent(id, at);
            if (before != null) {
                throw refused("snapshot_id", "`" + template + "` gives the same id `" + id + "` for the due times "
                        + before + " and " + at + "; add the date fields that tell them apart");
            }
        }
        for (LocalDateTime worst : WORST_CASES) {
            filled(parsed, template, worst.atZone(zone).toInstant(), zone);
        }
    }

    private static String filled(PolicyTemplate parsed, String template, Instant at, ZoneId zone) {
        String id;
        try {
            id = parsed.fill(at, zone);
        } catch (DateTimeException e) {
            throw refused("snapshot_id", "`" + template + "` cannot be filled: " + e.getMessage());
        }
        String problem = SnapshotId.problemWith(id);
        if (problem == null && id.length() > SnapshotId.MAX_LENGTH - SUFFIX_ROOM) {
            problem = "it must leave room for a `-2` suffix: at most " + (SnapshotId.MAX_LENGTH - SUFFIX_ROOM)
                    + " characters, got " + id.length();
        }
        if (problem != null) {
            throw refused("snapshot_id", "`" + template + "` gives the id `" + id + "` for " + at.atZone(zone)
                    + ", which is not valid: " + problem);
        }
        return id;
    }

    private static void checkRetention(Retention retention) {
        if (retention.maxCount().isPresent() && retention.maxCount().get() < 1) {
            throw refused("retention.max_count", "it must be at least 1, got " + retention.maxCount().get());
        }
        if (retention.minCount() < 0) {
            throw refused("retention.min_count", "it must be 0 or more, got " + retention.minCount());
        }
        if (retention.maxCount().isPresent() && retention.minCount() > retention.maxCount().get()) {
            throw refused("retention.min_count", "it must not be above retention.max_count ("
                    + retention.maxCount().get() + "), got " + retention.minCount());
        }
        if (retention.expireAfter().isPresent()) {
            Duration d = retention.expireAfter().get();
            if (d.isNegative() || d.isZero()) {
                throw refused("retention.expire_after", "it must be longer than zero, got " + d);
            }
        }
    }

    static InvalidParameterException refused(String field, String why) {
        return new InvalidParameterException("Invalid `" + field + "` of the snapshot policy: " + why);
    }
}
