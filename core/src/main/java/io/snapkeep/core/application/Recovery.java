package io.snapkeep.core.application;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionField;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.ListQuery;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotField;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import java.io.IOException;
import java.util.Collection;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Puts the catalogs and the store back in order after a process died, before any new work starts:
 * interrupted executions and {@code creating} snapshots fail with the restart reason, {@code uploading}
 * rows go, staged bytes go, and archives that no complete snapshot owns go. Queued executions stay
 * queued; the runner takes them next.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());
    private static final int PAGE = 500;

    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final EventRecorder events;
    private final Clock clock;
    private final Collection<StateParticipant> participants;

    Recovery(ArchiveStore store, SnapshotCatalog snapshots, ExecutionCatalog executions, EventRecorder events,
             Clock clock, Collection<StateParticipant> participants) {
        this.store = store;
        this.snapshots = snapshots;
        this.executions = executions;
        this.events = events;
        this.clock = clock;
        this.participants = participants;
    }

    void run() {
        recoverParticipants(restoreWasInterrupted());
        int executionsFailed = failInterruptedExecutions();
        int snapshotsFailed = failCreatingSnapshots();
        int uploadsRemoved = removeUploadingSnapshots();
        int leftovers = store.removeLeftovers();
        int orphans = removeOrphanArchives();
        if (executionsFailed + snapshotsFailed + uploadsRemoved + leftovers + orphans > 0) {
            LOG.info(() -> "Recovered from an interrupted run: " + executionsFailed + " execution(s) and "
                    + snapshotsFailed + " snapshot(s) marked failed, " + uploadsRemoved
                    + " unfinished upload(s) and " + (leftovers + orphans) + " stray archive(s) removed");
        }
    }

    private static final String[] INTERRUPTED = {ExecutionStatus.PENDING.wireName(),
            ExecutionStatus.STARTED.wireName(), ExecutionStatus.CANCELLING.wireName(),
            ExecutionStatus.FORCE_CANCELLING.wireName()};

    private boolean restoreWasInterrupted() {
        return executions.list(ListQuery.<ExecutionField>all()
                .withFilter(ExecutionField.WORKFLOW_ID, Workflow.RESTORE_SNAPSHOT.wireName())
                .withFilter(ExecutionField.STATUS, INTERRUPTED).page(0, 1)).total() > 0;
    }

    /** Before anything else runs, so that a half-committed restore is undone while nothing reads the state. */
    private void recoverParticipants(boolean restoreInterrupted) {
        for (StateParticipant p : participants) {
            try {
                p.recover(restoreInterrupted);
            } catch (IOException | RuntimeException e) {
                throw new StorageUnavailableException("Participant `" + p.name()
                        + "` could not recover from the previous run: " + e.getMessage(), e);
            }
        }
    }

    private int failInterruptedExecutions() {
        int count = 0;
        // Each pass takes the first page again: the executions it fails no longer match.
        while (true) {
            List<Execution> page = executions.list(ListQuery.<ExecutionField>all()
                    .withFilter(ExecutionField.STATUS, INTERRUPTED).page(0, PAGE)).items();
            if (page.isEmpty()) {
                return count;
            }
            for (Execution e : page) {
                events.failed(e, SnapshotEngine.INTERRUPTED_BY_RESTART);
                executions.update(e.status(), e.failed(SnapshotEngine.INTERRUPTED_BY_RESTART, clock.instant()));
                count++;
            }
        }
    }

    private int failCreatingSnapshots() {
        int count = 0;
        while (true) {
            List<Snapshot> page = snapshotsIn(SnapshotStatus.CREATING);
            if (page.isEmpty()) {
                return count;
            }
            for (Snapshot s : page) {
                if (hasQueuedCreate(s.id())) {
                    continue;
                }
                snapshots.update(SnapshotStatus.CREATING, s.failed(SnapshotEngine.INTERRUPTED_BY_RESTART));
                store.delete(s.id().value());
                count++;
            }
            if (page.stream().allMatch(s -> hasQueuedCreate(s.id()))) {
                return count;
            }
        }
    }

    private boolean hasQueuedCreate(SnapshotId id) {
        return executions.list(ListQuery.<ExecutionField>all()
                .withFilter(ExecutionField.SNAPSHOT_ID, id.value())
                .withFilter(ExecutionField.WORKFLOW_ID, Workflow.CREATE_SNAPSHOT.wireName())
                .withFilter(ExecutionField.STATUS, ExecutionStatus.QUEUED.wireName()).page(0, 1)).total() > 0;
    }

    private int removeUploadingSnapshots() {
        int count = 0;
        while (true) {
            List<Snapshot> page = snapshotsIn(SnapshotStatus.UPLOADING);
            if (page.isEmpty()) {
                return count;
            }
            for (Snapshot s : page) {
                snapshots.delete(s.id());
                store.delete(s.id().value());
                count++;
            }
        }
    }

    private List<Snapshot> snapshotsIn(SnapshotStatus status) {
        return snapshots.list(ListQuery.<SnapshotField>all().withFilter(SnapshotField.STATUS, status.wireName())
                .page(0, PAGE)).items();
    }

    /** Archives whose snapshot is gone or never completed: a crash between two steps left them. */
    private int removeOrphanArchives() {
        Set<String> owned = new HashSet<>();
        long offset = 0;
        while (true) {
            List<Snapshot> page = snapshots.list(ListQuery.<SnapshotField>all()
                    .withFilter(SnapshotField.STATUS, SnapshotStatus.CREATED.wireName(),
                            SnapshotStatus.UPLOADED.wireName(), SnapshotStatus.CREATING.wireName())
                    .page(offset, PAGE)).items();
            page.forEach(s -> owned.add(s.id().value()));
            if (page.size() < PAGE) {
                break;
            }
            offset += PAGE;
        }
        int count = 0;
        for (String key : store.list()) {
            if (!owned.contains(key)) {
                store.delete(key);
                count++;
            }
        }
        return count;
    }
}
