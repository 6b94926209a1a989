package io.snapkeep.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a policy's history: a create it ran (or missed), a snapshot its retention deleted, or a
 * snapshot it verified.
 *
 * @param policy     the policy's name
 * @param kind       what happened
 * @param dueAt      the due time it was for (a manual run: when it was asked for)
 * @param recordedAt when the entry was last written
 * @param outcome    how it went, so far
 * @param snapshot   the snapshot it made, deleted or verified, when there is one
 * @param execution  the create's execution, when there is one
 * @param detail     a reason or note in words; empty when there is nothing to say
 */
public record PolicyRun(String policy, Kind kind, Instant dueAt, Instant recordedAt, Outcome outcome,
                        Optional<SnapshotId> snapshot, Optional<ExecutionId> execution, String detail) {
    public PolicyRun {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(execution, "execution");
        detail = detail == null ? "" : detail;
    }

    public enum Kind {
        /** A create at a due time of the schedule. */
        SCHEDULED,
        /** A create asked for by {@code POST .../run}. */
        MANUAL,
        /** A snapshot deleted by retention. */
        RETENTION,
        /** A snapshot verified on the verify schedule. */
        VERIFY
    }

    public enum Outcome {
        RUNNING,
        SUCCEEDED,
        FAILED,
        /** A due time that passed while no node ran, outside the catch-up window. */
        MISSED
    }

    public PolicyRun withOutcome(Outcome newOutcome, Instant at, String newDetail) {
        return new PolicyRun(policy, kind, dueAt, at, newOutcome, snapshot, execution, newDetail);
    }
}
