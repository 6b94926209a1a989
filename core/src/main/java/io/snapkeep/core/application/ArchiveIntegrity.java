package io.snapkeep.core.application;

import io.snapkeep.core.application.archive.ArchiveObserver;
import io.snapkeep.core.application.archive.ArchiveReader;
import io.snapkeep.core.application.archive.ArchiveSummary;
import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.error.InvalidArchiveException;
import io.snapkeep.core.error.NotFoundException;
import io.snapkeep.core.error.SnapshotActionException;
import io.snapkeep.core.error.StorageUnavailableException;
import io.snapkeep.core.port.in.VerifySnapshot.VerifyResult;
import io.snapkeep.core.port.out.ArchiveStore;
import io.snapkeep.core.port.out.ArchiveStore.StoredArchive;
import io.snapkeep.core.port.out.SnapshotCatalog;
import io.snapkeep.core.port.out.StoreKey;
import io.snapkeep.core.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether a stored archive is still the one recorded when its snapshot was made, and what follows when it is
 * not. The test of damage is the archive's bytes against the recorded size and SHA-256: an archive whose
 * bytes are as recorded is not damaged, whatever a reader makes of it today (a restore that refuses a foreign
 * archive, or one over this server's limits, leaves its snapshot as it is); one whose bytes differ is, and
 * its snapshot becomes {@code failed} with a reason that starts with {@value Snapshot#ARCHIVE_DAMAGED}. A
 * snapshot whose archive is gone becomes {@code failed} with {@value Snapshot#ARCHIVE_MISSING}.
 *
 * <p>A snapshot is only failed while it is still the complete snapshot whose archive was checked (same
 * status, same size and digest), a compare-and-set, so a snapshot deleted and made again meanwhile is never
 * failed for its predecessor's archive.
 */
final class ArchiveIntegrity {
    private static final System.Logger LOG = System.getLogger(ArchiveIntegrity.class.getName());
    private static final int BUFFER = 1 << 20;

    private final Ports ports;
    private final ArchiveStore store;
    private final SnapshotCatalog snapshots;

    ArchiveIntegrity(Ports ports) {
        this.ports = ports;
        this.store = ports.store();
        this.snapshots = ports.snapshots();
    }

    /** What differs between an archive {@code found} and the one {@code recorded}; empty when nothing does. */
    static Optional<String> mismatch(ArchiveInfo found, ArchiveInfo recorded) {
        if (found.size() != recorded.size()) {
            return Optional.of(sizeDiffers(found.size(), recorded.size()));
        }
        if (!found.sha256().equals(recorded.sha256())) {
            return Optional.of("its SHA-256 is " + found.sha256() + " where " + recorded.sha256() + " was recorded");
        }
        return Optional.empty();
    }

    static String sizeDiffers(long found, long recorded) {
        return "the store holds " + found + " bytes of it where " + recorded + " were recorded";
    }

    /**
     * Reads the stored archive under {@code key} again in full and says what differs from {@code recorded}.
     * {@code between} runs after every MiB (a workflow checks for a cancel there).
     *
     * @throws NotFoundException when the archive is not in the store
     * @throws IOException       when the store fails to read it, and the store's size of it agrees with the record
     */
    Optional<String> recheck(StoreKey key, ArchiveInfo recorded, Runnable between) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        long size = 0;
        try (InputStream in = store.open(key)) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                size += n;
                between.run();
            }
        } catch (IOException | UncheckedIOException e) {
            Optional<String> differs = sizeAtRestDiffers(key, recorded);
            if (differs.isPresent()) {
                return differs;
            }
            throw e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
        }
        return mismatch(new ArchiveInfo(size, Sha256.hex(digest.digest())), recorded);
    }

    /** What the store's own size of the archive says, when it disagrees with the record. */
    Optional<String> sizeAtRestDiffers(StoreKey key, ArchiveInfo recorded) {
        try {
            Optional<StoredArchive> stat = store.stat(key);
            if (stat.isPresent() && stat.get().size() != recorded.size()) {
                return Optional.of(sizeDiffers(stat.get().size(), recorded.size()));
            }
        } catch (RuntimeException statFailed) {
            LOG.log(Level.DEBUG, () -> "stat of `" + key + "` failed too: " + statFailed);
        }
        return Optional.empty();
    }

    /**
     * Reads the archive of snapshot {@code id} back in full through the archive reader (every CRC, the
     * manifest or the zip structure of a foreign archive) and compares its size and SHA-256 with the record.
     */
    VerifyResult verify(SnapshotId id) {
        Snapshot snapshot = ports.snapshot(id);
        if (!snapshot.hasArchive()) {
            throw snapshot.noArchive("verified");
        }
        ArchiveInfo recorded = snapshot.archive();
        StoreKey key = StoreKey.of(id);
        try {
            ArchiveSummary summary;
            try (InputStream in = store.open(key)) {
                summary = ArchiveReader.validateUpload(in, ports.limits(), ArchiveObserver.NONE);
            }
            Optional<String> differs = mismatch(summary.archive(), recorded);
            if (differs.isEmpty()) {
                return new VerifyResult(id, true, "");
            }
            return new VerifyResult(id, false, damaged(id, recorded, differs.get(), "a verification"));
        } catch (NotFoundException gone) {
            return new VerifyResult(id, false, lost(id, recorded, "a verification"));
        } catch (InvalidArchiveException | IOException | UncheckedIOException readFailed) {
            return judge(id, recorded, key, readFailed);
        }
    }

    /** A verification whose read failed: damaged when the bytes differ from the record. */
    private VerifyResult judge(SnapshotId id, ArchiveInfo recorded, StoreKey key, Exception readFailed) {
        String says = ExecutionLifecycle.reasonOf(readFailed);
        Optional<String> differs;
        try {
            differs = recheck(key, recorded, () -> { });
        } catch (NotFoundException gone) {
            return new VerifyResult(id, false, lost(id, recorded, "a verification"));
        } catch (IOException | UncheckedIOException unreadable) {
            throw new StorageUnavailableException("The archive of snapshot `" + id + "` cannot be read from the "
                    + "store: " + ExecutionLifecycle.reasonOf(unreadable), unreadable);
        }
        if (differs.isPresent()) {
            return new VerifyResult(id, false, damaged(id, recorded, says + " (" + differs.get() + ")", "a verification"));
        }
        if (!(readFailed instanceof InvalidArchiveException)) {
            // The reader's source failed, yet a second read was whole: the store had a passing failure.
            throw new StorageUnavailableException("Reading the archive of snapshot `" + id + "` failed: " + says,
                    readFailed);
        }
        return new VerifyResult(id, false, says + " (its bytes are as recorded, so the snapshot is left as it is)");
    }

    /**
     * Logs at ERROR that the archive of {@code id} is damaged and fails the snapshot, while it is still the one
     * of {@code recorded}.
     *
     * @param foundBy what found it, for the log: "a download"
     * @return the snapshot's new reason
     */
    String damaged(SnapshotId id, ArchiveInfo recorded, String what, String foundBy) {
        String reason = Snapshot.ARCHIVE_DAMAGED + what;
        boolean failed = fail(id, recorded, s -> s.damaged(what));
        LOG.log(Level.ERROR, "The archive of snapshot `" + id + "` is damaged (found by " + foundBy + "): " + what
                + (failed ? "; the snapshot is now failed" : ""));
        return reason;
    }

    /** Logs at ERROR that the archive of {@code id} is missing and fails the snapshot; see {@link #damaged}. */
    String lost(SnapshotId id, ArchiveInfo recorded, String foundBy) {
        boolean failed = fail(id, recorded, Snapshot::lost);
        LOG.log(Level.ERROR, "The archive of snapshot `" + id + "` is missing from the store (found by " + foundBy
                + ")" + (failed ? "; the snapshot is now failed" : ""));
        return Snapshot.ARCHIVE_MISSING;
    }

    private boolean fail(SnapshotId id, ArchiveInfo recorded, UnaryOperator<Snapshot> transition) {
        Optional<Snapshot> current = snapshots.find(id);
        if (current.isEmpty() || !current.get().hasArchive() || !current.get().archive().equals(recorded)) {
            return false;
        }
        return snapshots.update(current.get().status(), transition.apply(current.get()));
    }

    /**
     * Bytes {@code offset} to {@code offset + length} of the archive of {@code snapshot} as a download: the
     * whole archive checked while it streams ({@link CheckedDownloadStream}) when that is what is asked for,
     * else the part passed through with its failures reported ({@link CheckedRangeStream}).
     */
    InputStream download(Snapshot snapshot, long offset, long length) {
        StoreKey key = StoreKey.of(snapshot.id());
        ArchiveInfo recorded = snapshot.archive();
        boolean whole = offset == 0 && length >= recorded.size();
        InputStream source;
        try {
            source = store.openRange(key, offset, whole ? recorded.size() : length);
        } catch (NotFoundException gone) {
            lost(snapshot.id(), recorded, "a download");
            throw new NotFoundException("The archive of snapshot `" + snapshot.id() + "` is missing from the store");
        } catch (IllegalArgumentException pastTheEnd) {
            // The range lies within the recorded size, so the archive at rest is shorter than recorded.
            Optional<String> differs = sizeAtRestDiffers(key, recorded);
            if (differs.isEmpty()) {
                throw pastTheEnd;
            }
            throw new SnapshotActionException("Snapshot `" + snapshot.id() + "` cannot be downloaded: its "
                    + damaged(snapshot.id(), recorded, differs.get(), "a download"));
        }
        CheckedDownloadStream.Outcomes outcomes = outcomes(snapshot, key);
        if (whole) {
            return new CheckedDownloadStream(source, recorded, outcomes);
        }
        long expected = Math.max(0, Math.min(length, recorded.size() - offset));
        return new CheckedRangeStream(source, offset, expected, outcomes);
    }

    /** What a download does about damage and failures: one ERROR line, and a damaged snapshot failed. */
    private CheckedDownloadStream.Outcomes outcomes(Snapshot snapshot, StoreKey key) {
        ArchiveInfo recorded = snapshot.archive();
        return new CheckedDownloadStream.Outcomes() {
            @Override
            public IOException damaged(String what) {
                String reason = ArchiveIntegrity.this.damaged(snapshot.id(), recorded, what, "a download");
                return new IOException("The download of snapshot `" + snapshot.id() + "` was stopped: " + reason);
            }

            @Override
            public IOException failed(IOException cause, long at) {
                Optional<String> differs = sizeAtRestDiffers(key, recorded);
                if (differs.isPresent()) {
                    IOException damage = damaged(differs.get());
                    damage.addSuppressed(cause);
                    return damage;
                }
                LOG.log(Level.ERROR, "The download of snapshot `" + snapshot.id() + "` failed at byte " + at
                        + " of " + recorded.size() + ": the archive store could not be read: "
                        + ExecutionLifecycle.reasonOf(cause));
                return new IOException("The download of snapshot `" + snapshot.id() + "` failed: "
                        + ExecutionLifecycle.reasonOf(cause), cause);
            }
        };
    }
}
