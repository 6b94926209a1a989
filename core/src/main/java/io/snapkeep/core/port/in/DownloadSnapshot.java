package io.snapkeep.core.port.in;

import io.snapkeep.core.domain.Snapshot;
import io.snapkeep.core.domain.SnapshotId;
import java.io.InputStream;

/** Reads a stored archive back. */
public interface DownloadSnapshot {

    /**
     * The archive of a complete snapshot, ready to stream.
     *
     * @throws io.snapkeep.core.error.NotFoundException        no such snapshot
     * @throws io.snapkeep.core.error.SnapshotActionException  the snapshot failed or is not complete yet
     */
    Download download(SnapshotId id);

    /** A complete archive: its snapshot, size and digest, and a way to read any range of it. */
    interface Download {
        Snapshot snapshot();

        long size();

        String sha256();

        /**
         * Opens {@code length} bytes from {@code offset} (cut at the end). The caller closes the stream.
         *
         * @throws io.snapkeep.core.error.NotFoundException when the archive was deleted meanwhile
         */
        InputStream open(long offset, long length);
    }
}
