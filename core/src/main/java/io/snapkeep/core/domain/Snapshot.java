package io.snapkeep.core.domain;

import io.snapkeep.core.error.IllegalTransitionException;
import io.snapkeep.core.error.SnapshotActionException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A snapshot as the catalog keeps it. Immutable; its status changes only through the named transitions,
 * each of which refuses to start from the wrong status.
 *
 * @param error the reason it failed, or {@code ""}
 * @param archive size and digest of the complete archive; null until the archive is complete
 */
public record Snapshot(SnapshotId id, Instant createdAt, SnapshotStatus status, String error, String createdBy,
                       ArchiveInfo archive) {

    public Snapshot {
        Objects.requireNonNull(id, "id");
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
                Objects.requireNonNull(archiveInfo, "archiveInfo"));
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
