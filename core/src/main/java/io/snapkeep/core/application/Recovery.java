package io.snapkeep.core.application;

import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.lang.System.Logger.Level;

/**
 * Puts the catalogs and the store back in order after a process died, before any new work starts:
 * interrupted executions and {@code creating} snapshots fail with the restart reason, {@code uploading}
 * rows go, staged bytes go, and archives that no complete snapshot owns go. Queued executions stay
 * queued; the runner takes them next.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final EventRecorder events;
    private final Clock clock;
    private final Collection<StateParticipant> participants;

    Recovery(Ports ports, EventRecorder events) {
        this.store = ports.store();
        this.snapshots = ports.snapshots();
        this.executions = ports.executions();
        this.events = events;
        this.clock = ports.clock();
        this.participants = ports.participants().values();
    }

    void run() {
        recoverParticipants(executions.isSlotHeldBy(Workflow.RESTORE_SNAPSHOT));
        int executionsFailed = failInterruptedExecutions();
        int snapshotsFailed = failCreatingSnapshots();
        int uploadsRemoved = removeUploadingSnapshots();
        int leftovers = store.removeStaged();
        int orphans = removeOrphanArchives();
        if (executionsFailed + snapshotsFailed + uploadsRemoved + leftovers + orphans > 0) {
            LOG.log(Level.INFO, () -> "Recovered from an interrupted run: " + executionsFailed + " execution(s) and "
                    + snapshotsFailed + " snapshot(s) marked failed, " + uploadsRemoved
                    + " unfinished upload(s) and " + (leftovers + orphans) + " stray archive(s) removed");
        }
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
        List<Execution> interrupted = executions.findHoldingSlot();
        for (Execution e : interrupted) {
            events.failed(e, ExecutionLifecycle.INTERRUPTED_BY_RESTART);
            executions.update(e.status(), e.failed(ExecutionLifecycle.INTERRUPTED_BY_RESTART, clock.instant()));
        }
        return interrupted.size();
    }

    private int failCreatingSnapshots() {
        int count = 0;
        for (Snapshot s : snapshots.findByStatus(EnumSet.of(SnapshotStatus.CREATING))) {
            if (!executions.hasQueued(Workflow.CREATE_SNAPSHOT, s.id())) {
                snapshots.update(SnapshotStatus.CREATING, s.failed(ExecutionLifecycle.INTERRUPTED_BY_RESTART));
                store.delete(StoreKey.of(s.id()));
                count++;
            }
        }
        return count;
    }

    private int removeUploadingSnapshots() {
        List<Snapshot> uploading = snapshots.findByStatus(EnumSet.of(SnapshotStatus.UPLOADING));
        for (Snapshot s : uploading) {
            snapshots.delete(s.id());
            store.delete(StoreKey.of(s.id()));
        }
        return uploading.size();
    }

    /** Archives whose snapshot is gone or never completed: a crash between two steps left them. */
    private int removeOrphanArchives() {
        Set<StoreKey> owned = new HashSet<>();
        snapshots.findByStatus(EnumSet.of(SnapshotStatus.CREATED, SnapshotStatus.UPLOADED, SnapshotStatus.CREATING))
                .forEach(s -> owned.add(StoreKey.of(s.id())));
        int count = 0;
        for (StoreKey key : store.inventory().archives().keySet()) {
            if (!owned.contains(key)) {
                store.delete(key);
                count++;
            }
        }
        return count;
    }
}
