package io.snapkeep.core.application;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.Progress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executions this process runs, as they stand in the catalog, so that a client polling one is answered
 * from memory instead of a catalog read that competes with the running work for the same cores and the
 * same database.
 *
 * <p>What is served is never ahead of the catalog and never contradicts it: an execution is served only
 * after its row was written, its progress only after the catalog took it, and before any status change of
 * the row the execution stops being served (reads go to the catalog until the new status is written and
 * served in turn). So a reader sees either what the catalog holds or what it held a moment before, as a
 * catalog read racing the write would. Ends are never served: an ended execution is read from the catalog.
 * A change made in the catalog by another node (a cancel sent there) reaches this node's cancel watch,
 * which stops serving the execution.
 */
final class LiveExecutions {
    private final Map<ExecutionId, Execution> served = new ConcurrentHashMap<>();

    /** Serves {@code execution}, just written to the catalog by this process, unless it has ended. */
    void serve(Execution execution) {
        if (execution.status().isEnd()) {
            served.remove(execution.id());
        } else {
            served.put(execution.id(), execution);
        }
    }

    /** Stops serving {@code id}: its row is about to change, or was changed elsewhere. */
    void forget(ExecutionId id) {
        served.remove(id);
    }

    /** The catalog took {@code progress} for {@code id}: a served execution shows it from now on. */
    void progressed(ExecutionId id, Progress progress) {
        served.computeIfPresent(id, (key, execution) -> execution.progressed(progress));
    }

    /** The execution as this process last wrote it, while it runs here. */
    Optional<Execution> find(ExecutionId id) {
        return Optional.ofNullable(served.get(id));
    }
}
