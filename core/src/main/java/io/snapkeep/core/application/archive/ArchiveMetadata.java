package io.snapkeep.core.application.archive;

import io.snapkeep.core.domain.StateCategory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of {@code metadata.json}, the first entry of every archive.
 *
 * @param format          always {@link #FORMAT}
 * @param snapshotVersion the format version; a reader refuses versions newer than {@link #CURRENT_VERSION}
 * @param createOptions   the create options as execution parameters show them
 * @param participants    the participants whose entries follow, in archive order
 */
public record ArchiveMetadata(String format, int snapshotVersion, String snapshotId, String executionId,
                              Instant createdAt, Map<String, Object> createOptions,
                              List<ParticipantInfo> participants) {
    public static final String FORMAT = MetadataCodec.FORMAT;
    public static final int CURRENT_VERSION = MetadataCodec.CURRENT_VERSION;

    public ArchiveMetadata {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(createdAt, "createdAt");
        createOptions = Map.copyOf(Objects.requireNonNull(createOptions, "createOptions"));
        participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
    }

    /** One participant included in the archive. */
    public record ParticipantInfo(String name, StateCategory category) {
        public ParticipantInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(category, "category");
        }
    }
}
