package io.snapkeep.core.domain;

import io.snapkeep.core.error.IllegalTransitionException;
import io.snapkeep.core.error.SnapshotActionException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A snapshot as the catalog keeps it. Immutable; its status changes only through the named transitions,
 * each of which refuses to start from the wrong status:
 * <pre>
 * creating  → created | failed
 * uploading → uploaded
 * created | uploaded → failed   (its archive turned out lost or damaged: {@link #lost()}, {@link #damaged})
 * (a record in the archive store) → created | uploaded   ({@link #imported})
 * </pre>
 * A failed snapshot keeps no archive info and is never downloaded or restored; it can always be deleted.
 *
 * @param error the reason it failed, or {@code ""}
 * @param archive size and digest of the complete archive; null until the archive is complete
 * @param upload  how far the upload of its archive came, while it is {@code uploading} and after;
 *                {@link Progress#NONE} for a snapshot not uploaded through this catalog (a create's progress
 *                is its execution's)
 */
public record Snapshot(SnapshotId id, Instant createdAt, SnapshotStatus status, String error, String createdBy,
                       ArchiveInfo archive, Progress upload) {
    /** The reason of a complete snapshot whose archive is no longer in the store. */
    public static final String ARCHIVE_MISSING = "archive missing from the store";
    /** What the reason of a complete snapshot whose archive turned out damaged starts with. */
    public static final String ARCHIVE_DAMAGED = "archive damaged: ";

    /** A snapshot with no upload progress. */
    public Snapshot(SnapshotId id, Instant createdAt, SnapshotStatus status, String error, String createdBy,
                    ArchiveInfo archive) {
        this(id, createdAt, status, error, createdBy, archive, Progress.NONE);
    }

    public Snapshot {
        Objects.requireNonNull(id, "id");
        // An upload plans no operations (that figure is Cloudify's, of executions): only what it has done counts.
        upload = upload == null ? Progress.NONE : upload.withTotal(0);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdBy, "createdBy");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        error = error == null ? "" : error;
        if (status.hasArchive() && archive == null) {
            throw new IllegalArgumentException("a " + status.wireName() + " snapshot needs its archive info");
        }
        if (!status.hasArchive() && archive != null) {
            throw new IllegalArgumentException("a " + status.wireName() + " snapshot has no complete archive");
        }
        if (status == SnapshotStatus.FAILED && error.isEmpty()) {
            throw new IllegalArgumentException("a failed snapshot needs its reason");
        }
        if (status != SnapshotStatus.FAILED && !error.isEmpty()) {
            throw new IllegalArgumentException("only a failed snapshot carries an error");
        }
    }

    /** A new snapshot whose archive is about to be written by a create execution. */
    public static Snapshot creating(SnapshotId id, String createdBy, Instant now) {
        return new Snapshot(id, now, SnapshotStatus.CREATING, "", createdBy, null);
    }

    /** A new snapshot whose archive is about to stream in from a client. */
    public static Snapshot uploading(SnapshotId id, String createdBy, Instant now) {
        return new Snapshot(id, now, SnapshotStatus.UPLOADING, "", createdBy, null);
    }

    /**
     * A complete snapshot listed again from the record kept beside its archive: the catalog did not know it
     * (it was lost, or rebuilt), the store did.
     *
     * @param status {@code created} or {@code uploaded}
     */
    public static Snapshot imported(SnapshotId id, SnapshotStatus status, Instant createdAt, String createdBy,
                                    ArchiveInfo archiveInfo) {
        if (!status.hasArchive()) {
            throw new IllegalTransitionException("Snapshot `" + id + "` cannot be imported as " + status.wireName()
                    + " (only as created or uploaded)");
        }
        return new Snapshot(id, createdAt, status, "", createdBy, Objects.requireNonNull(archiveInfo, "archiveInfo"));
    }

    /** {@code creating → created}: the archive is committed. */
    public Snapshot created(ArchiveInfo archiveInfo) {
        require(SnapshotStatus.CREATING, "created");
        return new Snapshot(id, createdAt, SnapshotStatus.CREATED, "", createdBy,
                Objects.requireNonNull(archiveInfo, "archiveInfo"));
    }

    /** {@code creating → failed}: the create did not finish; no archive is kept. */
    public Snapshot failed(String reason) {
        require(SnapshotStatus.CREATING, "failed");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a failure needs its reason");
        }
        return new Snapshot(id, createdAt, SnapshotStatus.FAILED, reason, createdBy, null);
    }

    /** {@code uploading → uploaded}: the uploaded archive is valid and committed. */
    public Snapshot uploaded(ArchiveInfo archiveInfo) {
        require(SnapshotStatus.UPLOADING, "uploaded");
        return new Snapshot(id, createdAt, SnapshotStatus.UPLOADED, "", createdBy,
                Objects.requireNonNull(archiveInfo, "archiveInfo"), upload.phase().isEmpty() ? upload : upload.done());
    }

    /** New figures of its upload; only while {@code uploading}. */
    public Snapshot uploadProgressed(Progress progress) {
        require(SnapshotStatus.UPLOADING, "uploading with new progress");
        return new Snapshot(id, createdAt, status, error, createdBy, archive, Objects.requireNonNull(progress));
    }

    /** {@code created|uploaded → failed}: its archive is no longer in the store ({@value #ARCHIVE_MISSING}). */
    public Snapshot lost() {
        return archiveFailed(ARCHIVE_MISSING);
    }

    /**
     * {@code created|uploaded → failed}: its archive is no longer what was recorded when it was made.
     *
     * @param what what is wrong with it; the reason becomes {@code "archive damaged: " + what}
     */
    public Snapshot damaged(String what) {
        if (what == null || what.isBlank()) {
            throw new IllegalArgumentException("damage needs its description");
        }
        return archiveFailed(ARCHIVE_DAMAGED + what);
    }

    private Snapshot archiveFailed(String reason) {
        if (!hasArchive()) {
            throw new IllegalTransitionException("Snapshot `" + id + "` cannot go from " + status.wireName()
                    + " to failed for its archive (only from created or uploaded)");
        }
        return new Snapshot(id, createdAt, SnapshotStatus.FAILED, reason, createdBy, null, upload);
    }

    /** A complete archive exists for it: it can be downloaded and restored. */
    public boolean hasArchive() {
        return status.hasArchive();
    }

    /**
     * The refusal of an action that needs the archive, for a snapshot that has none (see
     * {@link #hasArchive()}): it failed, or it is not complete yet.
     *
     * @param action what would be done with the archive, as a past participle: {@code "restored"}
     */
    public SnapshotActionException noArchive(String action) {
        if (hasArchive()) {
            throw new IllegalStateException("Snapshot `" + id + "` has its archive");
        }
        if (status == SnapshotStatus.FAILED) {
            return new SnapshotActionException("Failed snapshot cannot be " + action);
        }
        return new SnapshotActionException("Snapshot `" + id + "` cannot be " + action + " yet: it is still "
                + status.wireName());
    }

    private void require(SnapshotStatus from, String to) {
        if (status != from) {
            throw new IllegalTransitionException("Snapshot `" + id + "` cannot go from " + status.wireName()
                    + " to " + to + " (only from " + from.wireName() + ")");
        }
    }
}
