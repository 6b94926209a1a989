package io.snapkeep.core.domain;

import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot policy as its owner wrote it: when to create a snapshot, under which id, with which options,
 * how many of its snapshots to keep, and when to verify them. Only the shape is checked here; whether the
 * schedules fire and the template makes valid ids is for the engine, which knows the cron reader.
 *
 * @param name               the policy's name, by the same rules as a snapshot id
 * @param schedule           a cron expression (five fields, Unix style) for the creates
 * @param timeZone           the zone the schedules are read in
 * @param snapshotIdTemplate the id of each snapshot: literal text, and {@code {...}} holding a date pattern
 *                           ({@code nightly-{yyyyMMdd-HHmmss}}) filled with the due time in {@link #timeZone}
 * @param createOptions      the create's options ({@code queue} is ignored: a policy run waits its turn)
 * @param retention          which of the policy's snapshots to keep; empty keeps all
 * @param verifySchedule     a cron expression for verifying the policy's snapshots; empty never verifies
 */
public record SnapshotPolicy(String name, String schedule, ZoneId timeZone, String snapshotIdTemplate,
                             CreateOptions createOptions, Optional<Retention> retention,
                             Optional<String> verifySchedule) {
    public SnapshotPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(snapshotIdTemplate, "snapshotIdTemplate");
        Objects.requireNonNull(createOptions, "createOptions");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(verifySchedule, "verifySchedule");
    }

    /** Why {@code candidate} cannot name a policy, or null when it can. */
    public static String problemWithName(String candidate) {
        return NameRules.problemWith(candidate, "policy name");
    }

    /**
     * Which of a policy's own snapshots retention keeps. Whatever the rule, it never deletes the newest
     * snapshot that is {@code created} (and verified, when the policy verifies), and always keeps {@code minCount}.
     *
     * @param maxCount    keep at most this many (at least 1); empty for no count limit
     * @param expireAfter delete what is older than this (by created_at); empty for no age limit
     * @param minCount    keep at least this many, whatever their age (0 or more)
     */
    public record Retention(Optional<Integer> maxCount, Optional<java.time.Duration> expireAfter, int minCount) {
        public Retention {
            Objects.requireNonNull(maxCount, "maxCount");
            Objects.requireNonNull(expireAfter, "expireAfter");
        }
    }
}
