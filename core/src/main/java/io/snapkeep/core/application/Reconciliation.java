package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveMetadata;
import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveReader.Inspection;
import io.snapkeep.core.application.archive.RecordCodec.UnreadableRecordException;
import io.snapkeep.core.application.archive.SnapshotRecord;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapkeepException;
import io.snapkeep.core.port.in.Reconcile.ReconcileReport;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.Inventory;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.DaemonThreads;
import io.snapkeep.core.support.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Brings the catalog in line with the archive store, the record of every complete snapshot; it never
 * deletes an archive or a record. For every archive in the store's {@link Inventory}:
 * <ul>
 *   <li>no catalog row, a readable record: <b>imported</b>, the row made from the record ({@code created} or
 *       {@code uploaded}); {@code failed} with "archive damaged: ..." instead when the store's size of the
 *       archive is not the recorded one;</li>
 *   <li>no catalog row, no record (a commit cut off before its record), or a record that cannot be read:
 *       the archive is read in full; a valid one (what an upload accepts: snapkeep or foreign) gets its size
 *       and SHA-256 computed, its record written, and is <b>imported</b>, {@code created} when its metadata
 *       names this id as a snapkeep archive, else {@code uploaded}; created_at and created_by come from the
 *       unfinished upload row just removed for it, if any, else created_at from its metadata (or now) and
 *       created_by empty. An invalid one is <b>left as it is</b> and logged, as is an archive whose key is
 *       no snapshot id, whose record names another id or was written by a newer Snapkeep;</li>
 *   <li>a {@code created} or {@code uploaded} row: when the store's size differs from the row's, the row
 *       becomes {@code failed} ("archive damaged: ..."); when the record is missing (an archive of the
 *       previous release, or a crash between archive and record) it is <b>written from the row</b>;</li>
 *   <li>a {@code creating}, {@code uploading} or {@code failed} row: left as it is (start-up settles the
 *       first two before this pass; while running they are live work).</li>
 * </ul>
 * Every {@code created} or {@code uploaded} row whose archive is not in the store: the previous release's
 * copy is <b>adopted</b> ({@link ArchiveStore#adoptLegacy}) and its record written from the row; when there is
 * none, the row becomes {@code failed} with "archive missing from the store" (<b>missing</b>). A dry run
 * cannot look for the previous release's copy without moving it, so it reports such rows as missing.
 *
 * <p>Whole archives are read outside any lock; each change is made under the snapshot's lock after checking
 * that the row and the archive are still as they were found, so a pass on a running engine never races a
 * create, an upload or a delete. Memory grows with the number of snapshots, never with an archive's size.
 */
final class Reconciliation {
    private static final System.Logger LOG = System.getLogger(Reconciliation.class.getName());

    private final Ports ports;
    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final SnapshotRecords records;
    private final ArchiveIntegrity integrity;
    private final ExecutionLifecycle lifecycle;
    /** Archives looked at at once; each look waits on the store and the catalog far more than on a core. */
    static final int PARALLEL_LOOKS = 8;
    /** Archives handed out at a time, so that memory stays bounded whatever the store holds. */
    private static final int BATCH = 256;

    Reconciliation(Ports ports, SnapshotRecords records, ArchiveIntegrity integrity, ExecutionLifecycle lifecycle) {
        this.ports = ports;
        this.store = ports.store();
        this.snapshots = ports.snapshots();
        this.records = records;
        this.integrity = integrity;
        this.lifecycle = lifecycle;
    }

    /** Every snapshot of the catalog by id, oldest first. */
    static Map<SnapshotId, Snapshot> allRows(SnapshotCatalog catalog) {
        Map<SnapshotId, Snapshot> rows = new LinkedHashMap<>();
        catalog.findByStatus(EnumSet.allOf(SnapshotStatus.class)).forEach(s -> rows.put(s.id(), s));
        return rows;
    }

    /** The pass on a running engine: the archives and the complete rows; live work is left alone. */
    ReconcileReport whileRunning(boolean dryRun) {
        Findings found = new Findings();
        Map<SnapshotId, Snapshot> rows = allRows(snapshots);
        compare(rows, Map.of(), rows.isEmpty(), dryRun, found);
        log(found, dryRun);
        return found.report(dryRun);
    }

    /**
     * Compares the store with {@code rows} (in a dry run at start-up, the rows as start-up would have left
     * them) and acts unless {@code dryRun}.
     *
     * @param removedUploads the unfinished upload rows start-up removed, by id: what their archives are
     *                       imported with, if they were committed
     */
    void compare(Map<SnapshotId, Snapshot> rows, Map<SnapshotId, Snapshot> removedUploads, boolean catalogWasEmpty,
                 boolean dryRun, Findings found) {
        Inventory inventory = store.inventory();
        List<StoreKey> keys = new ArrayList<>(new TreeSet<>(inventory.archives().keySet()));
        // Each archive is looked at on its own (its record read, its row inserted under its own lock), and on a
        // store where each look is a request those are what a rebuild of thousands waits for: a few at once.
        // What each finds is added to the report in key order, so the report does not depend on timing.
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_LOOKS, DaemonThreads.named("snapkeep-reconcile"));
        try {
            for (int start = 0; start < keys.size(); start += BATCH) {
                List<Future<Findings>> batch = new ArrayList<>();
                for (StoreKey key : keys.subList(start, Math.min(keys.size(), start + BATCH))) {
                    batch.add(pool.submit(() -> {
                        Findings own = new Findings();
                        lookAt(key, inventory, rows, removedUploads, dryRun, own);
                        return own;
                    }));
                }
                for (Future<Findings> one : batch) {
                    found.add(join(one));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Snapshot row : rows.values()) {
            StoreKey key = StoreKey.of(row.id());
            if (row.hasArchive() && !inventory.archives().containsKey(key)) {
                attempt(key, found, () -> adoptOrLose(row, dryRun, found));
            }
        }
        found.catalogRebuilt = catalogWasEmpty && !inventory.records().isEmpty() && !found.imported.isEmpty();
    }

    private void lookAt(StoreKey key, Inventory inventory, Map<SnapshotId, Snapshot> rows,
                        Map<SnapshotId, Snapshot> removedUploads, boolean dryRun, Findings found) {
        long size = inventory.archives().get(key).size();
        if (SnapshotId.problemWith(key.value()) != null) {
            leaveAlone(key, "its key is not a snapshot id", found);
            return;
        }
        SnapshotId id = SnapshotId.of(key.value());
        Snapshot row = rows.get(id);
        attempt(key, found, () -> {
            if (row == null) {
                importArchive(id, size, inventory.records().contains(key), removedUploads.get(id), dryRun, found);
            } else if (row.hasArchive() && size != row.archive().size()) {
                found.damaged.add(id);
                if (!dryRun) {
                    integrity.damaged(id, row.archive(), ArchiveIntegrity.sizeDiffers(size, row.archive().size()),
                            "reconciliation");
                }
            } else if (row.hasArchive() && !inventory.records().contains(key)) {
                if (recordFromRow(row, dryRun)) {
                    found.recorded.add(id);
                }
            }
        });
    }

    private void importArchive(SnapshotId id, long size, boolean hasRecord, Snapshot removedUpload, boolean dryRun,
                               Findings found) {
        StoreKey key = StoreKey.of(id);
        Snapshot listed = null;
        String newRecordFormat = null;
        if (hasRecord) {
            try {
                Optional<SnapshotRecord> record = records.read(key);
                if (record.isPresent() && !record.get().id().equals(id)) {
                    leaveAlone(key, "its record names snapshot `" + record.get().id() + "`", found);
                    return;
                }
                if (record.isPresent()) {
                    listed = record.get().toSnapshot();
                    if (size != listed.archive().size()) {
                        listed = listed.damaged(ArchiveIntegrity.sizeDiffers(size, listed.archive().size()));
                        found.damaged.add(id);
                    }
                }
            } catch (UnreadableRecordException e) {
                if (e.newer()) {
                    leaveAlone(key, e.getMessage(), found);
                    return;
                }
                LOG.log(Level.WARNING, "The record of archive `" + key + "` cannot be read (" + e.getMessage()
                        + "); the archive itself is read to write it again");
            }
        }
        if (listed == null) {
            Optional<Inspection> inspection = inspect(key, found);
            if (inspection.isEmpty()) {
                return;
            }
            if (inspection.get().summary().archive().size() != size) {
                leaveAlone(key, "it changed while it was read", found);
                return;
            }
            listed = unrecorded(id, inspection.get(), removedUpload);
            newRecordFormat = inspection.get().format();
        }
        if (!dryRun && !insert(listed, size, newRecordFormat)) {
            return;
        }
        found.imported.add(id);
    }

    /** The snapshot of a valid archive that has no record, from what the archive and a removed row say. */
    private Snapshot unrecorded(SnapshotId id, Inspection inspection, Snapshot removedUpload) {
        ArchiveMetadata metadata = inspection.metadata();
        boolean ours = metadata != null && metadata.snapshotId().equals(id.value());
        Instant createdAt = removedUpload != null ? removedUpload.createdAt()
                : metadata != null ? metadata.createdAt() : ports.clock().instant();
        String createdBy = removedUpload != null ? removedUpload.createdBy() : "";
        return Snapshot.imported(id, ours ? SnapshotStatus.CREATED : SnapshotStatus.UPLOADED, createdAt, createdBy,
                inspection.summary().archive());
    }

    /** Lists {@code listed} (writing its record first when {@code recordFormat} is set), unless things moved. */
    private boolean insert(Snapshot listed, long size, String recordFormat) {
        SnapshotId id = listed.id();
        try (Held locked = lifecycle.lockSnapshot(id)) {
            if (snapshots.find(id).isPresent() || !sizeIs(id, size)) {
                return false;
            }
            if (recordFormat != null) {
                writeRecordOrSayWhy(listed, recordFormat);
            }
            try {
                snapshots.insert(listed);
            } catch (AlreadyExistsException raced) {
                return false;
            }
            return true;
        }
    }

    private boolean sizeIs(SnapshotId id, long size) {
        return store.stat(StoreKey.of(id)).map(StoredArchive::size).orElse(-1L) == size;
    }

    /** Writes the record of a complete row whose archive has none; false when it cannot or need not. */
    boolean recordFromRow(Snapshot row, boolean dryRun) {
        String format;
        try {
            format = records.formatOf(row);
        } catch (IOException | UncheckedIOException | SnapkeepException e) {
            LOG.log(Level.WARNING, "The archive of snapshot `" + row.id() + "` has no record, and its first entry "
                    + "cannot be read (" + ExecutionLifecycle.reasonOf(e) + "): no record written; verify it");
            return false;
        }
        if (dryRun) {
            return true;
        }
        try (Held locked = lifecycle.lockSnapshot(row.id())) {
            if (!snapshots.find(row.id()).map(row::equals).orElse(false) || !sizeIs(row.id(), row.archive().size())
                    || store.readRecord(StoreKey.of(row.id())).isPresent()) {
                return false;
            }
            return writeRecordOrSayWhy(row, format);
        }
    }

    /**
     * Writes the record of {@code complete}; when the store refuses, logs why and goes on: the row is listed
     * all the same, and the next reconciliation writes the record from it.
     */
    boolean writeRecordOrSayWhy(Snapshot complete, String format) {
        try {
            records.write(complete, format);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The record of snapshot `" + complete.id() + "` could not be written ("
                    + ExecutionLifecycle.reasonOf(e) + "); the next reconciliation writes it from the catalog");
            return false;
        }
    }

    private void adoptOrLose(Snapshot row, boolean dryRun, Findings found) {
        if (dryRun) {
            found.missing.add(row.id());
            return;
        }
        StoreKey key = StoreKey.of(row.id());
        Optional<StoredArchive> adopted;
        try (Held locked = lifecycle.lockSnapshot(row.id())) {
            if (!snapshots.find(row.id()).map(row::equals).orElse(false) || store.stat(key).isPresent()) {
                return;
            }
            adopted = store.adoptLegacy(key);
            if (adopted.isEmpty()) {
                if (snapshots.update(row.status(), row.lost())) {
                    found.missing.add(row.id());
                }
                return;
            }
        }
        found.adopted.add(row.id());
        if (adopted.get().size() != row.archive().size()) {
            found.damaged.add(row.id());
            integrity.damaged(row.id(), row.archive(),
                    ArchiveIntegrity.sizeDiffers(adopted.get().size(), row.archive().size()), "reconciliation");
        } else {
            recordFromRow(row, false);
        }
    }

    /**
     * Reads the archive under {@code key} in full as an upload is read; empty (and logged, and counted as left
     * alone) when it is not a valid archive or cannot be read now.
     */
    Optional<Inspection> inspect(StoreKey key, Findings found) {
        try (InputStream in = store.open(key)) {
            return Optional.of(ArchiveReader.inspectUpload(in, ports.limits(), ArchiveObserver.NONE));
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (InvalidArchiveException e) {
            leaveAlone(key, "it has no record and is not a valid archive: " + e.getMessage(), found);
        } catch (IOException | UncheckedIOException | SnapkeepException e) {
            leaveAlone(key, "it has no record and cannot be read now: " + ExecutionLifecycle.reasonOf(e), found);
        }
        return Optional.empty();
    }

    /**
     * Runs one snapshot's step; a failure (the store or the catalog refusing just then) is logged and leaves
     * that snapshot as it is for the next reconciliation, without stopping the others.
     */
    /** What one look found; a look catches what its archive throws, so only an Error or an interrupt comes here. */
    private static Findings join(Future<Findings> look) {
        try {
            return look.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void attempt(StoreKey key, Findings found, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            found.leftAlone.add(Printable.of(key.value()));
            LOG.log(Level.WARNING, "Reconciling `" + Printable.of(key.value()) + "` failed, so it is left as it is"
                    + " until the next reconciliation: " + ExecutionLifecycle.reasonOf(e), e);
        }
    }

    private static void leaveAlone(StoreKey key, String why, Findings found) {
        found.leftAlone.add(Printable.of(key.value()));
        LOG.log(Level.WARNING, "Archive `" + Printable.of(key.value()) + "` is left as it is in the store: " + why);
    }

    /** The one INFO line of a reconciliation, and the line that says the catalog was rebuilt. */
    static void log(Findings found, boolean dryRun) {
        if (found.catalogRebuilt) {
            LOG.log(Level.INFO, (dryRun ? "Dry run: the catalog would be rebuilt" : "The catalog had no snapshots; "
                    + "it was rebuilt") + " from the records of the archive store: " + found.imported.size()
                    + " snapshot(s)");
        }
        LOG.log(Level.INFO, found.logLine(dryRun));
    }
}
