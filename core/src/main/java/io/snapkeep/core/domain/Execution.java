package io.snapkeep.core.domain;

import io.snapkeep.core.error.IllegalTransitionException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of a snapshot workflow. Immutable; status changes only through the named transitions:
 * <pre>
 * queued → pending → started → terminated
 * pending|queued|started → cancelling|force_cancelling → cancelled
 * any active → failed
 * </pre>
 *
 * @param parameters the effective options plus {@code snapshot_id}, as clients see them; values are
 *                   booleans, strings or null
 * @param error      the reason it failed, or {@code ""}
 * @param node       the node that runs (or ran) it; {@code ""} while queued, before a node claims it
 */
public record Execution(ExecutionId id, Workflow workflow, SnapshotId snapshotId, ExecutionStatus status,
                        String error, Instant createdAt, Instant startedAt, Instant endedAt, String createdBy,
                        Map<String, Object> parameters, Progress progress, String node) {

    /** An execution no node has claimed. */
    public Execution(ExecutionId id, Workflow workflow, SnapshotId snapshotId, ExecutionStatus status,
                     String error, Instant createdAt, Instant startedAt, Instant endedAt, String createdBy,
                     Map<String, Object> parameters, Progress progress) {
        this(id, workflow, snapshotId, status, error, createdAt, startedAt, endedAt, createdBy, parameters, progress,
                "");
    }

    public Execution {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdBy, "createdBy");
        createdAt = millis(Objects.requireNonNull(createdAt, "createdAt"));
        startedAt = millis(startedAt);
        endedAt = millis(endedAt);
        error = error == null ? "" : error;
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
        progress = progress == null ? Progress.NONE : progress;
        node = node == null ? "" : node;
        if (status.isEnd() != (endedAt != null)) {
            throw new IllegalArgumentException("an execution has an end time exactly when it has ended");
        }
        if (status == ExecutionStatus.FAILED && error.isEmpty()) {
            throw new IllegalArgumentException("a failed execution needs its reason");
        }
    }

    /** A new execution: {@code pending} when it may start now, {@code queued} when it waits its turn. */
    public static Execution newExecution(Workflow workflow, SnapshotId snapshotId, Map<String, Object> parameters,
                                         String createdBy, Instant now, boolean queued) {
        return new Execution(ExecutionId.random(), workflow, snapshotId,
                queued ? ExecutionStatus.QUEUED : ExecutionStatus.PENDING, "", now, null, null, createdBy,
                parameters, Progress.NONE);
    }

    /** {@code queued → pending}: its turn has come. */
    public Execution promoted() {
        require(EnumSet.of(ExecutionStatus.QUEUED), ExecutionStatus.PENDING);
        return with(ExecutionStatus.PENDING, error, startedAt, null, progress);
    }

    /** The same execution, claimed by {@code runningNode}: the node that will run it. */
    public Execution claimedBy(String runningNode) {
        return new Execution(id, workflow, snapshotId, status, error, createdAt, startedAt, endedAt, createdBy,
                parameters, progress, Objects.requireNonNull(runningNode, "runningNode"));
    }

    /** The same execution back in the queue, claimed by no node. */
    public Execution queued() {
        require(EnumSet.of(ExecutionStatus.PENDING), ExecutionStatus.QUEUED);
        return new Execution(id, workflow, snapshotId, ExecutionStatus.QUEUED, "", createdAt, null, null, createdBy,
                parameters, progress, "");
    }

    /** {@code pending → started}. */
    public Execution started(Instant now) {
        require(EnumSet.of(ExecutionStatus.PENDING), ExecutionStatus.STARTED);
        return with(ExecutionStatus.STARTED, "", now, null, progress);
    }

    /** New progress figures; only while active. */
    public Execution progressed(Progress newProgress) {
        if (status.isEnd()) {
            throw new IllegalTransitionException("Execution " + id + " has ended (" + status.wireName()
                    + "); its progress is final");
        }
        return with(status, error, startedAt, null, Objects.requireNonNull(newProgress));
    }

    /** {@code pending|queued|started → cancelling}. */
    public Execution cancelling() {
        require(EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.QUEUED, ExecutionStatus.STARTED),
                ExecutionStatus.CANCELLING);
        return with(ExecutionStatus.CANCELLING, "", startedAt, null, progress);
    }

    /** {@code pending|queued|started → force_cancelling}. */
    public Execution forceCancelling() {
        require(EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.QUEUED, ExecutionStatus.STARTED),
                ExecutionStatus.FORCE_CANCELLING);
        return with(ExecutionStatus.FORCE_CANCELLING, "", startedAt, null, progress);
    }

    /** {@code started → terminated}: the workflow succeeded. */
    public Execution terminated(Instant now) {
        require(EnumSet.of(ExecutionStatus.STARTED), ExecutionStatus.TERMINATED);
        return with(ExecutionStatus.TERMINATED, "", startedAt, now, progress);
    }

    /** {@code cancelling|force_cancelling → cancelled}. */
    public Execution cancelled(Instant now) {
        require(EnumSet.of(ExecutionStatus.CANCELLING, ExecutionStatus.FORCE_CANCELLING), ExecutionStatus.CANCELLED);
        return with(ExecutionStatus.CANCELLED, "", startedAt, now, progress);
    }

    /** Any active status {@code → failed}, with the reason clients will see. */
    public Execution failed(String reason, Instant now) {
        require(EnumSet.complementOf(EnumSet.of(ExecutionStatus.TERMINATED, ExecutionStatus.FAILED,
                ExecutionStatus.CANCELLED)), ExecutionStatus.FAILED);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a failure needs its reason");
        }
        return with(ExecutionStatus.FAILED, reason, startedAt, now, progress);
    }

    private Execution with(ExecutionStatus newStatus, String newError, Instant newStartedAt, Instant newEndedAt,
                           Progress newProgress) {
        return new Execution(id, workflow, snapshotId, newStatus, newError, createdAt, newStartedAt, newEndedAt,
                createdBy, parameters, newProgress, node);
    }

    private void require(Set<ExecutionStatus> from, ExecutionStatus to) {
        if (!from.contains(status)) {
            throw new IllegalTransitionException("Execution " + id + " cannot go from " + status.wireName()
                    + " to " + to.wireName());
        }
    }

    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }
}
