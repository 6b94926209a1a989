package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveReader.Inspection;
import io.snapkeep.core.application.archive.RecordCodec.UnreadableRecordException;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.Execution;
import io.snapkeep.core.domain.ExecutionStatus;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.domain.Workflow;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.ExecutionCatalog;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StateParticipant;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.EnumSet;
import java.util.HashSet;

/**
 * Puts the catalogs and the store back in order after a process stopped, before any new work starts; then
 * {@link Reconciliation} compares the catalog with the store. Nothing here deletes an archive or a record.
 * In this order:
 * <ol>
 *   <li>participants recover (a half-committed restore is undone while nothing reads the state);</li>
 *   <li>every execution that held the slot was interrupted. A {@code create_snapshot} whose archive had been
 *       committed is <b>completed</b>: its snapshot becomes {@code created} (its record written first if
 *       missing) and the execution ends {@code terminated}, with an event saying it was completed at
 *       start-up. The committed archive is this create's when its record has the row's created_at and
 *       created_by, or, without a record, when its metadata names this snapshot and this execution and the
 *       archive reads as valid; a create whose snapshot was already {@code created} is completed likewise.
 *       Every other interrupted execution ends {@code failed}, "interrupted by a restart";</li>
 *   <li>a {@code creating} snapshot with no queued create is completed the same way when its committed
 *       archive's record matches it, else it becomes {@code failed}, "interrupted by a restart" (whatever
 *       is under its key stays);</li>
 *   <li>an {@code uploading} snapshot whose archive was committed and recorded (the record matching the row)
 *       becomes {@code uploaded} (<b>completed</b>); otherwise its row is removed, and if its archive was
 *       committed without a record the reconciliation imports it;</li>
 *   <li>staged bytes are removed, only through {@link ArchiveStore#removeStaged}.</li>
 * </ol>
 * Queued executions stay queued; the runner takes them next. A dry run recovers no participant, changes
 * nothing and reports what it would do ({@code stagedRemoved} stays 0: staged writes are only counted by
 * removing them).
 */
final class Recovery {
    static final String COMPLETED_AT_START_UP = "The archive had been committed when the process stopped: "
            + "the snapshot was completed at start-up";

    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final ExecutionCatalog executions;
    private final EventRecorder events;
    private final SnapshotRecords records;
    private final Reconciliation reconciliation;
    private final Clock clock;
    private final Collection<StateParticipant> participants;
    private final Coordination coordination;

    Recovery(Ports ports, EventRecorder events, SnapshotRecords records, Reconciliation reconciliation,
             Coordination coordination) {
        this.coordination = coordination;
        this.store = ports.store();
        this.snapshots = ports.snapshots();
        this.executions = ports.executions();
        this.events = events;
        this.records = records;
        this.reconciliation = reconciliation;
        this.clock = ports.clock();
        this.participants = ports.participants().values();
    }

    /** A complete snapshot a start-up completes, and the format of the record to write first (null: it has one). */
    private record Completion(Snapshot snapshot, String recordFormat) {
    }

    /**
     * Which unfinished work a pass settles: the executions holding the slot that {@code settles} accepts, and
     * the {@code uploading} rows that {@code settlesUpload} accepts; every other one is live work of a live
     * node and stays as it is, and so do its staged writes.
     *
     * @param startUp whether this node is starting: its participants recover first
     */
    record Scope(Predicate<Execution> settles, Predicate<Snapshot> settlesUpload, boolean startUp) {
    }

    /**
     * At start-up: the work of this node's previous life and of every node that is not alive now. For a process
     * alone on its catalog, that is all of it.
     */
    Scope atStartUp() {
        Set<String> others = new HashSet<>(coordination.liveNodes());
        others.remove(coordination.node());
        return new Scope(e -> !others.contains(e.node()), this::unclaimedUpload, true);
    }

    /** While running: the work of nodes that are not alive now. */
    Scope takingOver() {
        Set<String> live = coordination.liveNodes();
        return new Scope(e -> !live.contains(e.node()), this::unclaimedUpload, false);
    }

    private boolean unclaimedUpload(Snapshot s) {
        return !coordination.isClaimed(Coordination.uploadClaim(s.id()));
    }

    /** Whether {@code scope} finds anything to settle: two reads, cheap enough to ask every few seconds. */
    boolean hasWork(Scope scope) {
        return executions.findHoldingSlot().stream().anyMatch(scope.settles())
                || snapshots.findByStatus(EnumSet.of(SnapshotStatus.UPLOADING)).stream().anyMatch(scope.settlesUpload());
    }

    /** Why an interrupted execution failed: this node restarted, or the node that ran it stopped responding. */
    private String reasonFor(Execution e) {
        // Alone on its catalog, whatever was running was this process's previous life, under any node id.
        boolean ours = !coordination.isClustered() || e.node().isEmpty() || e.node().equals(coordination.node());
        return ours ? ExecutionLifecycle.INTERRUPTED_BY_RESTART : nodeStopped(e.node());
    }

    static String nodeStopped(String node) {
        return "node " + node + " stopped responding";
    }

    ReconcileReport run(boolean dryRun, Scope scope) {
        if (!dryRun && scope.startUp()) {
            recoverParticipants(executions.isSlotHeldBy(Workflow.RESTORE_SNAPSHOT));
        }
        Findings found = new Findings();
        Map<SnapshotId, Snapshot> rows = Reconciliation.allRows(snapshots);
        boolean catalogWasEmpty = rows.isEmpty();
        Map<SnapshotId, Snapshot> removedUploads = new HashMap<>();
        Map<SnapshotId, String> reasons = new HashMap<>();
        settleInterruptedExecutions(rows, scope, reasons, dryRun, found);
        settleCreatingSnapshots(rows, scope, reasons, dryRun, found);
        settleUploadingSnapshots(rows, scope, removedUploads, dryRun, found);
        if (!dryRun) {
            found.stagedRemoved = store.removeStaged(this::keysInUse);
        }
        reconciliation.compare(dryRun ? rows : Reconciliation.allRows(snapshots), removedUploads, catalogWasEmpty,
                dryRun, found);
        Reconciliation.log(found, dryRun);
        return found.report(dryRun);
    }

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

    /**
     * The keys live work may be writing now: every {@code creating} row left (its create is queued or runs on a
     * live node) and every {@code uploading} row a live upload claims. Asked by the store after it listed its
     * staged writes.
     */
    private Set<StoreKey> keysInUse() {
        Set<StoreKey> keys = new HashSet<>();
        for (Snapshot s : snapshots.findByStatus(EnumSet.of(SnapshotStatus.CREATING, SnapshotStatus.UPLOADING))) {
            if (s.status() == SnapshotStatus.CREATING || !unclaimedUpload(s)) {
                keys.add(StoreKey.of(s.id()));
            }
        }
        return keys;
    }

    private void settleInterruptedExecutions(Map<SnapshotId, Snapshot> rows, Scope scope,
                                             Map<SnapshotId, String> reasons, boolean dryRun, Findings found) {
        List<Execution> interrupted = executions.findHoldingSlot().stream().filter(scope.settles()).toList();
        for (Execution e : interrupted) {
            Snapshot row = rows.get(e.snapshotId());
            Optional<Completion> completion = e.workflow() == Workflow.CREATE_SNAPSHOT && row != null
                    && e.status() == ExecutionStatus.STARTED ? completionOf(row, e, found) : Optional.empty();
            if (completion.isPresent()) {
                if (!dryRun) {
                    complete(row, completion.get());
                    events.info(e, COMPLETED_AT_START_UP);
                    events.succeeded(e);
                    executions.update(ExecutionStatus.STARTED, e.terminated(clock.instant()));
                }
                rows.put(row.id(), completion.get().snapshot());
                found.completed.add(row.id());
                continue;
            }
            String reason = reasonFor(e);
            reasons.put(e.snapshotId(), reason);
            if (e.workflow() == Workflow.CREATE_SNAPSHOT && row != null && row.status() == SnapshotStatus.CREATING) {
                // The snapshot first, as a create's own end does: whoever sees the execution end sees it failed.
                Snapshot failed = row.failed(reason);
                if (!dryRun) {
                    snapshots.update(SnapshotStatus.CREATING, failed);
                }
                rows.put(row.id(), failed);
                found.failedCreates.add(row.id());
            }
            if (!dryRun) {
                events.failed(e, reason);
                executions.update(e.status(), e.failed(reason, clock.instant()));
            }
            found.failedExecutions++;
        }
    }

    /** How the interrupted create {@code e} of {@code row} completes, if its archive was committed. */
    private Optional<Completion> completionOf(Snapshot row, Execution e, Findings found) {
        StoreKey key = StoreKey.of(row.id());
        if (row.status() == SnapshotStatus.CREATED) {
            return Optional.of(new Completion(row, store.readRecord(key).isPresent() ? null
                    : SnapshotRecord.SNAPKEEP_FORMAT));
        }
        if (row.status() != SnapshotStatus.CREATING) {
            return Optional.empty();
        }
        return store.stat(key).flatMap(stored -> committedFor(row, e, stored, found));
    }

    /**
     * The completion of {@code creating} from the archive {@code stored} under its key, when that archive is
     * the one its create committed (see the class comment); {@code e} is the create, or null when unknown.
     */
    private Optional<Completion> committedFor(Snapshot creating, Execution e, StoredArchive stored,
                                              Findings found) {
        Optional<SnapshotRecord> record;
        try {
            record = records.read(stored.key());
        } catch (UnreadableRecordException unreadable) {
            return Optional.empty();
        }
        if (record.isPresent()) {
            SnapshotRecord r = record.get();
            boolean ours = r.status() == SnapshotStatus.CREATED && r.createdAt().equals(creating.createdAt())
                    && r.createdBy().equals(creating.createdBy()) && r.archive().size() == stored.size();
            return ours ? Optional.of(new Completion(creating.created(r.archive()), null)) : Optional.empty();
        }
        if (e == null) {
            return Optional.empty();
        }
        Optional<Inspection> inspection = reconciliation.inspect(stored.key(), found);
        if (inspection.isEmpty()) {
            return Optional.empty();
        }
        ArchiveMetadata metadata = inspection.get().metadata();
        boolean ours = metadata != null && metadata.snapshotId().equals(creating.id().value())
                && e.id().value().equals(metadata.executionId())
                && inspection.get().summary().archive().size() == stored.size();
        return ours ? Optional.of(new Completion(creating.created(inspection.get().summary().archive()),
                inspection.get().format())) : Optional.empty();
    }

    /** The same steps, in the same order, as the create's own point of no return: record, then row. */
    private void complete(Snapshot row, Completion completion) {
        if (completion.recordFormat() != null) {
            reconciliation.writeRecordOrSayWhy(completion.snapshot(), completion.recordFormat());
        }
        if (row.status() == SnapshotStatus.CREATING) {
            snapshots.update(SnapshotStatus.CREATING, completion.snapshot());
        }
    }

    /** @param reasons why this pass failed the create of each id it failed: the snapshot fails for the same */
    private void settleCreatingSnapshots(Map<SnapshotId, Snapshot> rows, Scope scope, Map<SnapshotId, String> reasons,
                                         boolean dryRun, Findings found) {
        for (Snapshot s : List.copyOf(rows.values())) {
            if (s.status() != SnapshotStatus.CREATING || hasLiveCreate(s.id(), scope)) {
                continue;
            }
            Optional<Completion> completion = store.stat(StoreKey.of(s.id()))
                    .flatMap(stored -> committedFor(s, null, stored, found));
            if (completion.isPresent()) {
                if (!dryRun) {
                    complete(s, completion.get());
                }
                rows.put(s.id(), completion.get().snapshot());
                found.completed.add(s.id());
                continue;
            }
            Snapshot failed = s.failed(reasons.getOrDefault(s.id(), ExecutionLifecycle.INTERRUPTED_BY_RESTART));
            if (!dryRun) {
                snapshots.update(SnapshotStatus.CREATING, failed);
            }
            rows.put(s.id(), failed);
            found.failedCreates.add(s.id());
        }
    }

    /**
     * Whether the create of {@code id} is still to run or runs on a live node: queued, or active and not settled
     * by {@code scope} (in a dry run, the settled ones are still active in the catalog).
     */
    private boolean hasLiveCreate(SnapshotId id, Scope scope) {
        if (executions.hasQueued(Workflow.CREATE_SNAPSHOT, id)) {
            return true;
        }
        return executions.findActive(id).filter(e -> e.workflow() == Workflow.CREATE_SNAPSHOT)
                .filter(e -> !scope.settles().test(e)).isPresent();
    }

    private void settleUploadingSnapshots(Map<SnapshotId, Snapshot> rows, Scope scope,
                                          Map<SnapshotId, Snapshot> removed, boolean dryRun, Findings found) {
        for (Snapshot s : List.copyOf(rows.values())) {
            if (s.status() != SnapshotStatus.UPLOADING || !scope.settlesUpload().test(s)) {
                continue;
            }
            Optional<SnapshotRecord> record = store.stat(StoreKey.of(s.id())).flatMap(stored -> matchingUpload(s, stored));
            if (record.isPresent()) {
                Snapshot uploaded = s.uploaded(record.get().archive());
                if (!dryRun) {
                    snapshots.update(SnapshotStatus.UPLOADING, uploaded);
                }
                rows.put(s.id(), uploaded);
                found.completed.add(s.id());
                continue;
            }
            if (!dryRun) {
                snapshots.delete(s.id());
            }
            rows.remove(s.id());
            removed.put(s.id(), s);
            found.removedUploads.add(s.id());
        }
    }

    /** The record of the committed archive {@code stored} when it is the one the upload {@code s} wrote. */
    private Optional<SnapshotRecord> matchingUpload(Snapshot s, StoredArchive stored) {
        try {
            return records.read(stored.key()).filter(r -> r.status() == SnapshotStatus.UPLOADED
                    && r.createdAt().equals(s.createdAt()) && r.createdBy().equals(s.createdBy())
                    && r.archive().size() == stored.size());
        } catch (UnreadableRecordException unreadable) {
            return Optional.empty();
        }
    }
}
