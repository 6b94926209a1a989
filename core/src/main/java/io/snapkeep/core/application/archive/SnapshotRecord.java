package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.ArchiveInfo;
import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import io.snapkeep.core.domain.SnapshotStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What the archive store keeps beside a complete snapshot's archive, so that the snapshot can be listed again
 * without the catalog: written right after the archive is committed, before the catalog row changes. Encoded
 * and decoded by {@link RecordCodec} only.
 *
 * @param status        {@code created} or {@code uploaded}
 * @param archive       the archive's size and SHA-256 as they were when it was made
 * @param archiveFormat {@value #SNAPKEEP_FORMAT} for a snapkeep archive, {@value #FOREIGN_FORMAT} for an
 *                      uploaded archive of another make (Cloudify's own snapshots)
 */
public record SnapshotRecord(SnapshotId id, SnapshotStatus status, Instant createdAt, String createdBy,
                             ArchiveInfo archive, String archiveFormat) {
    public static final String SNAPKEEP_FORMAT = ArchiveMetadata.FORMAT;
    public static final String FOREIGN_FORMAT = "foreign";

    public SnapshotRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(archiveFormat, "archiveFormat");
        if (!status.hasArchive()) {
            throw new IllegalArgumentException("only a created or uploaded snapshot has a record, not a "
                    + status.wireName() + " one");
        }
        if (archiveFormat.isBlank()) {
            throw new IllegalArgumentException("a record names its archive's format");
        }
    }

    /** The record of {@code snapshot}, which is complete, whose archive is of {@code archiveFormat}. */
    public static SnapshotRecord of(Snapshot snapshot, String archiveFormat) {
        return new SnapshotRecord(snapshot.id(), snapshot.status(), snapshot.createdAt(), snapshot.createdBy(),
                snapshot.archive(), archiveFormat);
    }

    /** The snapshot this record describes, as the catalog lists it. */
    public Snapshot toSnapshot() {
        return Snapshot.imported(id, status, createdAt, createdBy, archive);
    }

    /** The format of an archive whose metadata is {@code metadata}; null metadata means a foreign archive. */
    public static String formatOf(ArchiveMetadata metadata) {
        return metadata == null ? FOREIGN_FORMAT : metadata.format();
    }
}
