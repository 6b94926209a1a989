package io.snapkeep.core.port.out;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Workflow;
import java.util.List;
import java.util.Optional;

/**
 * The source of truth for snapshot executions. Thread-safe; every method is atomic, also across processes
 * sharing the catalog. Only one execution may hold the <em>slot</em> at a time: be {@code pending},
 * {@code started}, {@code cancelling} or {@code force_cancelling} ({@link ExecutionStatus#holdsSlot()}).
 * Failures of the database throw {@code StorageUnavailableException}.
 */
public interface ExecutionCatalog {

    /**
     * Adds an execution unconditionally (a {@code queued} one, or any execution in recovery and tests).
     *
     * @throws io.snapkeep.core.error.AlreadyExistsException when the id exists
     */
    void insert(Execution execution);

    /**
     * Adds {@code execution} (which must be {@code pending}) only if no other execution is active, in any
     * status that is not an end state ({@code queued} included, so that queued work keeps its turn).
     * Check and insert are one atomic step.
     *
     * @return false, having inserted nothing, when another execution is active
     */
    boolean insertIfNoneActive(Execution execution);

    /**
     * If no execution holds the slot, moves the oldest {@code queued} execution to {@code pending}, claimed by
     * {@code node} (its {@link Execution#node()}), and returns it; otherwise, or when nothing is queued,
     * returns empty. Atomic: of nodes promoting at once, one gets the execution.
     */
    Optional<Execution> promoteNextQueued(String node);

    /**
     * Marks the {@code started} execution {@code id} as past its point of no return: from now on a cancel (an
     * {@link #update} to {@code cancelling} or {@code force_cancelling}) does not apply to it, on any node.
     * A compare-and-set: exactly one of a cancel and this wins.
     *
     * @return false when the execution is not {@code started} (a cancel came first) or already finishing
     */
    boolean beginFinish(ExecutionId id);

    /** The execution with this id, or empty. */
    Optional<Execution> find(ExecutionId id);

    /**
     * Replaces the stored execution by {@code updated} (same id) only if its status is still
     * {@code expected}: a compare-and-set. An update to {@code cancelling} or {@code force_cancelling} also
     * requires that the execution has not begun to finish ({@link #beginFinish}); every other update clears
     * that mark.
     *
     * @return false when the execution is missing, its status is no longer {@code expected}, or it is a cancel
     *         of an execution that began to finish
     */
    boolean update(ExecutionStatus expected, Execution updated);

    /**
     * Records new progress figures of an active execution, whatever its status. Cheap: called often while a
     * workflow runs.
     *
     * @return false when the execution is missing or has ended (the figures are then dropped)
     */
    boolean updateProgress(ExecutionId id, Progress progress);

    /**
     * The active execution (any status that is not an end state, {@code queued} included) of snapshot
     * {@code snapshot}: the oldest by {@code created_at}, then id, when there are several; or empty.
     */
    Optional<Execution> findActive(SnapshotId snapshot);

    /** Whether a {@code queued} execution of {@code workflow} targets snapshot {@code snapshot}. */
    boolean hasQueued(Workflow workflow, SnapshotId snapshot);

    /**
     * Every execution that holds the slot ({@link ExecutionStatus#holdsSlot()}), oldest first by
     * {@code created_at}, then id. At start-up, before anything runs, these are the executions that a
     * previous process left interrupted.
     */
    List<Execution> findHoldingSlot();

    /** Whether an execution of {@code workflow} holds the slot. */
    boolean isSlotHeldBy(Workflow workflow);

    /**
     * One page of the executions matching {@code query}, with the total number of matches. Nulls sort first
     * when ascending; ties are broken by {@code created_at}, then id, ascending.
     */
    Page<Execution> list(ListQuery<ExecutionField> query);
}
