package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import java.io.InputStream;
import java.util.Objects;

/** Stores an archive that a client sends. */
public interface UploadSnapshot {

    /**
     * Reserves the id as {@code uploading}, streams {@code archive} into the store while validating it, and
     * marks the snapshot {@code uploaded}. On any failure nothing is left: no row, no stored bytes. Reads
     * {@code archive} to its end; the caller closes it.
     *
     * @throws io.snapkeep.core.error.AlreadyExistsException   the id exists
     * @throws io.snapkeep.core.error.InvalidArchiveException  the bytes are not a valid archive (says why)
     */
    Snapshot upload(UploadCommand command);

    /**
     * @param length the archive's size in bytes when the sender told it (a Content-Length), for progress
     *               figures only; {@code -1} when not told. Not trusted: the archive is what the stream holds.
     */
    record UploadCommand(SnapshotId id, InputStream archive, String requestedBy, long length) {
        public UploadCommand {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(archive, "archive");
            Objects.requireNonNull(requestedBy, "requestedBy");
            length = Math.max(-1, length);
        }

        /** An upload of unknown length. */
        public UploadCommand(SnapshotId id, InputStream archive, String requestedBy) {
            this(id, archive, requestedBy, -1);
        }
    }
}
