package io.snapkeep.core.testing;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.port.out.ExecutionCatalog;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** An {@link ExecutionCatalog} in a map, one lock around every method. */
public class InMemoryExecutionCatalog implements ExecutionCatalog {
    private final Map<ExecutionId, Execution> rows = new LinkedHashMap<>();
    private final java.util.Set<ExecutionId> finishing = new java.util.HashSet<>();

    @Override
    public synchronized void insert(Execution execution) {
        if (rows.putIfAbsent(execution.id(), execution) != null) {
            throw new AlreadyExistsException("Execution " + execution.id() + " already exists");
        }
    }

    @Override
    public synchronized boolean insertIfNoneActive(Execution execution) {
        if (rows.values().stream().anyMatch(e -> e.status().isActive())) {
            return false;
        }
        insert(execution);
        return true;
    }

    @Override
    public synchronized Optional<Execution> promoteNextQueued(String node) {
        if (rows.values().stream().anyMatch(e -> e.status().holdsSlot())) {
            return Optional.empty();
        }
        Optional<Execution> next = rows.values().stream()
                .filter(e -> e.status() == ExecutionStatus.QUEUED)
                .min(Comparator.comparing(Execution::createdAt).thenComparing(Execution::id));
        Optional<Execution> promoted = next.map(e -> e.promoted().claimedBy(node));
        promoted.ifPresent(e -> rows.put(e.id(), e));
        return promoted;
    }

    @Override
    public synchronized boolean beginFinish(ExecutionId id) {
        Execution current = rows.get(id);
        if (current == null || current.status() != ExecutionStatus.STARTED) {
            return false;
        }
        return finishing.add(id);
    }

    @Override
    public synchronized Optional<Execution> find(ExecutionId id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public synchronized boolean update(ExecutionStatus expected, Execution updated) {
        Execution current = rows.get(updated.id());
        if (current == null || current.status() != expected) {
            return false;
        }
        boolean cancel = updated.status() == ExecutionStatus.CANCELLING
                || updated.status() == ExecutionStatus.FORCE_CANCELLING;
        if (cancel && finishing.contains(updated.id())) {
            return false;
        }
        if (!cancel) {
            finishing.remove(updated.id());
        }
        rows.put(updated.id(), updated);
        return true;
    }

    @Override
    public synchronized boolean updateProgress(ExecutionId id, Progress progress) {
        Execution current = rows.get(id);
        if (current == null || current.status().isEnd()) {
            return false;
        }
        rows.put(id, current.progressed(progress));
        return true;
    }

    @Override
    public synchronized Optional<Execution> findActive(SnapshotId snapshot) {
        return matching(e -> e.snapshotId().equals(snapshot) && e.status().isActive()).stream().findFirst();
    }

    @Override
    public synchronized boolean hasQueued(Workflow workflow, SnapshotId snapshot) {
        return !matching(e -> e.workflow() == workflow && e.snapshotId().equals(snapshot)
                && e.status() == ExecutionStatus.QUEUED).isEmpty();
    }

    @Override
    public synchronized List<Execution> findHoldingSlot() {
        return matching(e -> e.status().holdsSlot());
    }

    @Override
    public synchronized boolean isSlotHeldBy(Workflow workflow) {
        return !matching(e -> e.workflow() == workflow && e.status().holdsSlot()).isEmpty();
    }

    /** The rows that {@code which} accepts, oldest first. */
    private List<Execution> matching(Predicate<Execution> which) {
        return rows.values().stream().filter(which)
                .sorted(Comparator.comparing(Execution::createdAt).thenComparing(e -> e.id().value())).toList();
    }

    @Override
    public synchronized Page<Execution> list(ListQuery<ExecutionField> query) {
        return InMemoryQueries.page(List.copyOf(rows.values()), query, (f, e) -> f.textOf(e), (f, e) -> f.valueOf(e),
                e -> e.id().value(), ExecutionField.CREATED_AT);
    }
}
