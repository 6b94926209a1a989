package io.snapkeep.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionId;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Page;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The snapshot and execution catalogs with their failures counted ({@link StorageUnavailableException}, the
 * port's one failure; a conflict or a lost compare-and-set is an answer). The execution catalog also tells
 * every execution's end, as it is written: the one place every workflow's end passes through.
 */
final class MeteredCatalogs {
    private MeteredCatalogs() {
    }

    /** Registered at 0, so that a rate over it is defined before the first failure. */
    private static Counter errors(MeterRegistry registry, String catalog) {
        return Counter.builder(SnapkeepMetrics.PREFIX + "catalog.errors")
                .description("Calls that found the catalog's database unavailable").tag("catalog", catalog)
                .register(registry);
    }

    private static <T> T call(Counter errors, Supplier<T> body) {
        try {
            return body.get();
        } catch (StorageUnavailableException e) {
            errors.increment();
            throw e;
        }
    }

    static final class Snapshots implements SnapshotCatalog {
        private final SnapshotCatalog catalog;
        private final Counter errors;

        Snapshots(SnapshotCatalog catalog, MeterRegistry registry) {
            this.catalog = catalog;
            this.errors = errors(registry, "snapshots");
        }

        private <T> T call(Supplier<T> body) {
            return MeteredCatalogs.call(errors, body);
        }

        @Override
        public void insert(Snapshot snapshot) {
            call(() -> {
                catalog.insert(snapshot);
                return null;
            });
        }

        @Override
        public Optional<Snapshot> find(SnapshotId id) {
            return call(() -> catalog.find(id));
        }

        @Override
        public boolean update(SnapshotStatus expected, Snapshot updated) {
            return call(() -> catalog.update(expected, updated));
        }

        @Override
        public boolean delete(SnapshotId id) {
            return call(() -> catalog.delete(id));
        }

        @Override
        public List<Snapshot> findByStatus(Set<SnapshotStatus> statuses) {
            return call(() -> catalog.findByStatus(statuses));
        }

        @Override
        public Page<Snapshot> list(ListQuery<SnapshotField> query) {
            return call(() -> catalog.list(query));
        }

        @Override
        public Map<SnapshotStatus, Long> countByStatus() {
            return call(catalog::countByStatus);
        }
    }

    static final class Executions implements ExecutionCatalog {
        private final ExecutionCatalog catalog;
        private final Counter errors;
        private final Consumer<Execution> ended;

        Executions(ExecutionCatalog catalog, MeterRegistry registry, Consumer<Execution> ended) {
            this.catalog = catalog;
            this.errors = errors(registry, "executions");
            this.ended = ended;
        }

        private <T> T call(Supplier<T> body) {
            return MeteredCatalogs.call(errors, body);
        }

        @Override
        public void insert(Execution execution) {
            call(() -> {
                catalog.insert(execution);
                return null;
            });
        }

        @Override
        public boolean insertIfNoneActive(Execution execution) {
            return call(() -> catalog.insertIfNoneActive(execution));
        }

        @Override
        public Optional<Execution> promoteNextQueued(String node) {
            return call(() -> catalog.promoteNextQueued(node));
        }

        @Override
        public boolean beginFinish(ExecutionId id) {
            return call(() -> catalog.beginFinish(id));
        }

        @Override
        public Optional<Execution> find(ExecutionId id) {
            return call(() -> catalog.find(id));
        }

        /** An update that moved an active execution to an end state is that execution's end. */
        @Override
        public boolean update(ExecutionStatus expected, Execution updated) {
            boolean done = call(() -> catalog.update(expected, updated));
            if (done && !expected.isEnd() && updated.status().isEnd()) {
                ended.accept(updated);
            }
            return done;
        }

        @Override
        public boolean updateProgress(ExecutionId id, Progress progress) {
            return call(() -> catalog.updateProgress(id, progress));
        }

        @Override
        public Optional<Execution> findActive(SnapshotId snapshot) {
            return call(() -> catalog.findActive(snapshot));
        }

        @Override
        public boolean hasQueued(Workflow workflow, SnapshotId snapshot) {
            return call(() -> catalog.hasQueued(workflow, snapshot));
        }

        @Override
        public List<Execution> findHoldingSlot() {
            return call(catalog::findHoldingSlot);
        }

        @Override
        public boolean isSlotHeldBy(Workflow workflow) {
            return call(() -> catalog.isSlotHeldBy(workflow));
        }

        @Override
        public Page<Execution> list(ListQuery<ExecutionField> query) {
            return call(() -> catalog.list(query));
        }
    }
}
