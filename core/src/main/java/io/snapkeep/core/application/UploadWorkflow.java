package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveSummary;
import io.snapkeep.core.domain.Progress;
import io.snapkeep.core.domain.Progress.Phases;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import io.snapkeep.core.error.AlreadyExistsException;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.port.in.UploadSnapshot.UploadCommand;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StagedWrite;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StoreKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;

/**
 * An upload, run on the caller's thread: the id is reserved as {@code uploading}, the archive streams into
 * a staged write while it is validated, and under the snapshot's lock the write is committed, its record
 * written beside it and the snapshot marked {@code uploaded}, in that order. On any failure nothing is left:
 * no row, no stored bytes. A client that goes away mid-upload is one WARN line with the bytes received.
 *
 * <p>A snapkeep archive is checked whole (manifest, digests, limits); a foreign one (Cloudify's own
 * snapshots carry a {@code metadata.json} but no manifest) must be a well-formed zip with that entry.
 */
final class UploadWorkflow {
    private static final System.Logger LOG = System.getLogger(UploadWorkflow.class.getName());

    private final Ports ports;
    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;
    private final SnapshotRecords records;
    private final ExecutionLifecycle lifecycle;
    private final Coordination coordination;

    UploadWorkflow(Ports ports, SnapshotRecords records, ExecutionLifecycle lifecycle, Coordination coordination) {
        this.coordination = coordination;
        this.ports = ports;
        this.store = ports.store();
        this.snapshots = ports.snapshots();
        this.records = records;
        this.lifecycle = lifecycle;
    }

    /**
     * The upload holds the claim {@link Coordination#uploadClaim} on its id while it streams, taken before its
     * row exists: another node that finds an {@code uploading} row nobody live claims knows the upload died
     * with its node, and may settle it.
     */
    Snapshot upload(UploadCommand command) {
        SnapshotId id = command.id();
        try (Held claim = coordination.claim(Coordination.uploadClaim(id))
                .orElseThrow(() -> new AlreadyExistsException("Snapshot `" + id + "` already exists"))) {
            return claimedUpload(command);
        }
    }

    private Snapshot claimedUpload(UploadCommand command) {
        SnapshotId id = command.id();
        StoreKey key = StoreKey.of(id);
        Snapshot uploading = Snapshot.uploading(id, command.requestedBy(), ports.clock().instant());
        snapshots.insert(uploading);
        // No execution and no cancel: the figures go on the snapshot's row, and a client stops by going away.
        ProgressTracker progress = new ProgressTracker(p -> snapshots.updateUploadProgress(id, p), System::nanoTime,
                () -> { }, false, p -> LOG.log(Level.DEBUG, () -> "upload of " + id + ": "
                        + ProgressTracker.phaseMessage(p)));
        progress.totals(command.length(), Progress.UNKNOWN);
        boolean done = false;
        TeeInputStream tee = null;
        try (StagedWrite write = store.beginWrite(key); ProgressTracker.Heartbeat beat = progress.heartbeat()) {
            progress.phase(Phases.RECEIVING);
            tee = new TeeInputStream(progress.counting(command.archive()), write.stream());
            ArchiveReader.Inspection inspection;
            try {
                inspection = ArchiveReader.inspectUpload(tee, ports.limits(), progress);
            } finally {
                tee.seal();
            }
            ArchiveSummary summary = inspection.summary();
            progress.phase(Phases.COMMITTING);
            Snapshot uploaded = uploading.uploadProgressed(progress.progress()).uploaded(summary.archive());
            try (Held locked = lifecycle.lockSnapshot(id)) {
                write.commit();
                try {
                    records.write(uploaded, inspection.format());
                    if (!snapshots.update(SnapshotStatus.UPLOADING, uploaded)) {
                        throw new SnapshotActionException("Snapshot `" + id + "` was removed while it uploaded");
                    }
                } catch (RuntimeException e) {
                    store.delete(key);
                    throw e;
                }
            }
            LOG.log(Level.DEBUG, () -> "uploaded " + id + ": " + summary.entries() + " entries");
            done = true;
            return uploaded;
        } catch (InvalidArchiveException e) {
            // What the reader saw of a body cut short may read as a malformed archive: the cut is the news.
            if (tee != null && tee.sourceFailure() != null) {
                throw incomplete(id, tee, tee.sourceFailure());
            }
            throw e;
        } catch (UncheckedIOException e) {
            throw incomplete(id, tee, e.getCause());
        } catch (IOException e) {
            throw incomplete(id, tee, e);
        } finally {
            if (!done) {
                snapshots.delete(id);
            }
        }
    }

    /** The refusal of an upload whose bytes stopped coming: one WARN line when the client went away. */
    private static InvalidArchiveException incomplete(SnapshotId id, TeeInputStream tee, IOException e) {
        IOException client = tee == null ? null : tee.sourceFailure();
        if (client != null) {
            long received = tee.received();
            LOG.log(Level.WARNING, () -> "The upload of snapshot `" + id + "` broke off after " + received
                    + " bytes received: the client's connection failed (" + client.getMessage() + ")");
            return new InvalidArchiveException("The upload did not complete: the connection failed after " + received
                    + " bytes (" + client.getMessage() + ")", e);
        }
        return new InvalidArchiveException("The upload did not complete: " + e.getMessage(), e);
    }
}
