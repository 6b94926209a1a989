package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveMetadata.ParticipantInfo;
import io.snapkeep.core.application.archive.ArchiveSummary;
import io.snapkeep.core.application.archive.ArchiveWriter;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.CreateOptions;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Progress.Phases;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.StateCategory;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code create_snapshot} workflow: the selected participants export into an archive that is staged
 * in the store; at the point of no return the archive is committed, its record written beside it, and the
 * snapshot marked {@code created}, in that order, under the snapshot's lock. Whatever fails after the commit
 * and before the row changed removes the archive again (the create was never acknowledged). A crash after
 * the commit leaves an archive that start-up reconciliation completes the snapshot from.
 */
final class CreateWorkflow implements ExecutionLifecycle.WorkflowRun {
    private final Ports ports;
    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final SnapshotRecords records;
    private final EventRecorder events;
    private final ExecutionLifecycle lifecycle;

    CreateWorkflow(Ports ports, SnapshotRecords records, EventRecorder events, ExecutionLifecycle lifecycle) {
        this.ports = ports;
        this.store = ports.store();
        this.snapshots = ports.snapshots();
        this.records = records;
        this.events = events;
        this.lifecycle = lifecycle;
    }

    @Override
    public void run(Execution execution, Cancellation cancellation) throws IOException {
        SnapshotId id = execution.snapshotId();
        CreateOptions options = CreateOptions.fromParameters(execution.parameters());
        Set<StateCategory> categories = options.categories();
        List<StateParticipant> selected = ports.participants().values().stream()
                .filter(p -> categories.contains(p.category())).toList();
        ProgressTracker progress = new ProgressTracker(lifecycle.progressStore(execution),
                System::nanoTime, cancellation::check, true, p -> events.info(execution, ProgressTracker.phaseMessage(p)));
        events.info(execution, "Creating snapshot `" + id + "` of " + describe(selected));
        try (ProgressTracker.Heartbeat beat = progress.heartbeat()) {
            create(execution, cancellation, options, selected, progress);
        }
    }

    private void create(Execution execution, Cancellation cancellation, CreateOptions options,
                        List<StateParticipant> selected, ProgressTracker progress) throws IOException {
        SnapshotId id = execution.snapshotId();
        progress.phase(Phases.ESTIMATING);
        long planned = 0;
        long plannedBytes = 0;
        // One participant that cannot tell (0 entries is "unknown" in the port) makes the whole figure unknown.
        boolean entriesKnown = true;
        for (StateParticipant p : selected) {
            long entries = p.plannedEntries();
            entriesKnown &= entries > 0;
            planned += entries;
            long bytes = p.plannedBytes();
            plannedBytes = bytes < 0 || plannedBytes < 0 ? Progress.UNKNOWN : plannedBytes + bytes;
        }
        progress.totals(plannedBytes, entriesKnown ? planned : Progress.UNKNOWN);
        progress.planned(planned);

        StoreKey key = StoreKey.of(id);
        try (StagedWrite write = store.beginWrite(key);
             ArchiveWriter writer = new ArchiveWriter(write.stream(), progress)) {
            progress.phase(Phases.WRITING);
            writer.writeMetadata(new ArchiveMetadata(ArchiveMetadata.FORMAT, ArchiveMetadata.CURRENT_VERSION,
                    id.value(), execution.id().value(), execution.createdAt(), options.asParameters(),
                    selected.stream().map(p -> new ParticipantInfo(p.name(), p.category())).toList()));
            for (StateParticipant p : selected) {
                cancellation.check();
                long before = progress.progress().finishedOperations();
                p.exportTo(writer.participantSink(p.name()));
                events.info(execution, "Exported participant `" + p.name() + "`: "
                        + (progress.progress().finishedOperations() - before) + " entries");
            }
            ArchiveSummary summary = writer.finish();
            progress.phase(Phases.COMMITTING);
            events.info(execution, "Archive complete: " + summary.entries() + " entries, "
                    + summary.archive().size() + " bytes, sha256 " + summary.archive().sha256());
            try (Held locked = lifecycle.lockSnapshot(id)) {
                lifecycle.finish(execution, cancellation, progress, () -> {
                    write.commit();
                    try {
                        Snapshot created = ports.snapshot(id).created(summary.archive());
                        records.write(created, SnapshotRecord.SNAPKEEP_FORMAT);
                        if (!snapshots.update(SnapshotStatus.CREATING, created)) {
                            throw new SnapshotActionException("Snapshot `" + id + "` changed while it was created");
                        }
                    } catch (RuntimeException e) {
                        store.delete(key);
                        throw e;
                    }
                });
            }
        }
    }

    private static String describe(List<StateParticipant> selected) {
        if (selected.isEmpty()) {
            return "no participants";
        }
        return selected.stream().map(p -> "`" + p.name() + "` (" + p.category().name().toLowerCase() + ")")
                .collect(Collectors.joining(", "));
    }
}
